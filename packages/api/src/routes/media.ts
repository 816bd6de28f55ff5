/** A required JSON request body of the schema. */
export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** A JSON answer of the schema. */
export const ok = <T>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
