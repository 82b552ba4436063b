/**
 * Tables of the notifications feature. Kept apart from schema.ts so features can grow their tables side by side;
 * client.ts and drizzle.config.ts include every schema-*.ts file.
 */
export {};
