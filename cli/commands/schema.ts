export const schemaCommand = {
  command: 'schema',
  describe: 'print the JSON Schema of scenario files (for editors; run accepts --scenario FILE.json)',
  handler: async (): Promise<void> => (await import('../handlers/schema.js')).schemaHandler(),
};
