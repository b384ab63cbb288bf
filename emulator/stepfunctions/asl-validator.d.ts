// asl-validator 4 ships JavaScript only; this is the part of its API the runner uses.
declare module "asl-validator" {
  interface AslValidatorError {
    readonly "Error code": string;
    readonly Message: string;
  }
  interface AslValidatorResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidatorError[];
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidatorResult;
  export default aslValidator;
}
