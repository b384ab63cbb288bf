import type { ServiceName } from "./service-types.ts";

/** An error a service answers with when the emulator itself refuses a call (throttle, outage). */
export interface ServiceErrorSpec {
  readonly code: string;
  readonly message: string;
  readonly statusCode: number;
}

/** Transient errors a service documents, injectable as API faults of the same name. */
export type TransientFaultKind = "resource-contention" | "scaling-activity-in-progress";

export interface TransientErrorSpec extends ServiceErrorSpec {
  /** The only actions whose API reference lists this error; undefined: every action. */
  readonly actions?: readonly string[];
}

/** How one AWS service is spoken on the wire. */
export interface ServiceDescriptor {
  readonly name: ServiceName;
  /** The SigV4 signing name, as in the Authorization header's credential scope. */
  readonly signingName: string;
  /** The query API version (the `Version` form parameter), for services that speak query. */
  readonly queryVersion?: string;
  readonly xmlNamespace?: string;
  /** `x-amz-target` prefix for the JSON protocols. */
  readonly jsonTarget?: string;
  readonly jsonVersion?: "1.0" | "1.1";
  /** JSON errors also carry the query error code (`x-amzn-query-error`), as CloudWatch does. */
  readonly queryCompatible?: boolean;
  /** Query error code → the JSON error shape name, for query-compatible services. */
  readonly jsonErrorShapes?: Readonly<Record<string, string>>;
  readonly jsonNamespace?: string;
  readonly throttling: ServiceErrorSpec;
  readonly serverError: ServiceErrorSpec;
  readonly transientErrors?: Readonly<Partial<Record<TransientFaultKind, TransientErrorSpec>>>;
  /** The code for a request whose parameters fail validation. */
  readonly validationCode: string;
  /** Share the per-account Describe token bucket (see throttle.ts). */
  readonly describeBucket: boolean;
}

const rateExceeded = (code: string): ServiceErrorSpec => ({ code, message: "Rate exceeded", statusCode: 400 });
const internalFailure: ServiceErrorSpec = {
  code: "InternalFailure",
  message: "The request processing has failed because of an unknown error, exception or failure.",
  statusCode: 500,
};

export const serviceCatalog: Readonly<Record<ServiceName, ServiceDescriptor>> = {
  autoscaling: {
    name: "autoscaling",
    signingName: "autoscaling",
    queryVersion: "2011-01-01",
    xmlNamespace: "http://autoscaling.amazonaws.com/doc/2011-01-01/",
    throttling: rateExceeded("Throttling"),
    serverError: internalFailure,
    transientErrors: {
      // ResourceContentionFault (HTTP 500) is listed by every Auto Scaling action but the account settings ones.
      "resource-contention": {
        code: "ResourceContention",
        message: "You already have a pending update to an Amazon EC2 Auto Scaling resource (for example, an Auto Scaling group, instance, or load balancer).",
        statusCode: 500,
        actions: undefined,
      },
      "scaling-activity-in-progress": {
        code: "ScalingActivityInProgress",
        message: "The operation can't be performed because there are scaling activities in progress.",
        statusCode: 400,
        actions: ["DeleteAutoScalingGroup", "DeleteWarmPool", "ExecutePolicy", "SetDesiredCapacity", "TerminateInstanceInAutoScalingGroup", "UpdateAutoScalingGroup"],
      },
    },
    validationCode: "ValidationError",
    describeBucket: true,
  },
  elasticloadbalancing: {
    name: "elasticloadbalancing",
    signingName: "elasticloadbalancing",
    queryVersion: "2015-12-01",
    xmlNamespace: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
    throttling: rateExceeded("Throttling"),
    serverError: internalFailure,
    validationCode: "ValidationError",
    describeBucket: true,
  },
  monitoring: {
    name: "monitoring",
    signingName: "monitoring",
    queryVersion: "2010-08-01",
    xmlNamespace: "http://monitoring.amazonaws.com/doc/2010-08-01/",
    jsonTarget: "GraniteServiceVersion20100801",
    jsonVersion: "1.0",
    queryCompatible: true,
    jsonNamespace: "com.amazonaws.cloudwatch",
    jsonErrorShapes: {
      InvalidParameterValue: "InvalidParameterValueException",
      InvalidParameterCombination: "InvalidParameterCombinationException",
      MissingParameter: "MissingRequiredParameterException",
      LimitExceeded: "LimitExceededFault",
      InternalServiceError: "InternalServiceFault",
      InvalidFormat: "InvalidFormatFault",
    },
    throttling: rateExceeded("Throttling"),
    serverError: { code: "InternalServiceError", message: "Internal service error", statusCode: 500 },
    validationCode: "InvalidParameterValue",
    describeBucket: false,
  },
  ec2: {
    name: "ec2",
    signingName: "ec2",
    queryVersion: "2016-11-15",
    xmlNamespace: "http://ec2.amazonaws.com/doc/2016-11-15/",
    throttling: { code: "RequestLimitExceeded", message: "Request limit exceeded.", statusCode: 503 },
    serverError: { code: "InternalError", message: "An internal error has occurred", statusCode: 500 },
    validationCode: "InvalidParameterValue",
    describeBucket: false,
  },
  ssm: {
    name: "ssm",
    signingName: "ssm",
    jsonTarget: "AmazonSSM",
    jsonVersion: "1.1",
    jsonNamespace: "com.amazonaws.ssm",
    throttling: rateExceeded("ThrottlingException"),
    serverError: { code: "InternalServerError", message: "Internal server error", statusCode: 500 },
    validationCode: "ValidationException",
    describeBucket: false,
  },
  states: {
    name: "states",
    signingName: "states",
    jsonTarget: "AWSStepFunctions",
    jsonVersion: "1.0",
    jsonNamespace: "com.amazonaws.sfn",
    throttling: rateExceeded("ThrottlingException"),
    serverError: { code: "ServiceUnavailable", message: "Service unavailable", statusCode: 503 },
    validationCode: "ValidationException",
    describeBucket: false,
  },
  events: {
    name: "events",
    signingName: "events",
    jsonTarget: "AWSEvents",
    jsonVersion: "1.1",
    jsonNamespace: "com.amazonaws.events",
    throttling: rateExceeded("ThrottlingException"),
    serverError: internalFailure,
    validationCode: "ValidationException",
    describeBucket: false,
  },
};

export const serviceDescriptors: readonly ServiceDescriptor[] = Object.values(serviceCatalog);

/** How a request that names no service we know is refused: plain query-style errors, no namespace. */
export const unknownService: ServiceDescriptor = {
  name: "autoscaling",
  signingName: "unknown",
  throttling: rateExceeded("Throttling"),
  serverError: internalFailure,
  validationCode: "ValidationError",
  describeBucket: false,
};
