/** Stack-test stand-in for a Lambda entry point: synthesis bundles it instead of the real one. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
