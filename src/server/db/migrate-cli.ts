import { loadConfig, ConfigError } from '../config.ts';
import { openDatabase, migrateDatabase, DatabaseUnavailableError } from './client.ts';

try {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  await database.close();
  console.log(`Migrations applied (${database.kind}).`);
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
