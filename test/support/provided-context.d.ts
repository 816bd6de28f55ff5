import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The scan-refusing proxy in front of the run's one DynamoDB Local. */
    dynamoEndpoint: string;
  }
}
