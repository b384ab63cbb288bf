/** An error as AWS returns it: a code from the service's model, a message, an HTTP status. */
export class AwsApiError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** "Sender" for the caller's mistakes, "Receiver" for the service's own failures. */
  readonly fault: "Sender" | "Receiver";

  constructor(code: string, message: string, options: { statusCode?: number; fault?: "Sender" | "Receiver" } = {}) {
    super(message);
    this.name = "AwsApiError";
    this.code = code;
    this.statusCode = options.statusCode ?? 400;
    this.fault = options.fault ?? (this.statusCode >= 500 ? "Receiver" : "Sender");
  }
}

export const validationError = (message: string): AwsApiError => new AwsApiError("ValidationError", message);

/** Auto Scaling, SSM and CloudWatch all refuse a NextToken they did not hand out with this code. */
export const invalidNextToken = (message: string): AwsApiError => new AwsApiError("InvalidNextToken", message);
