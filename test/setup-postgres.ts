// Jest project integration-postgres: every suite's platform uses a fresh PostgreSQL database
// created from TEST_POSTGRES_URL (jest.config.js only includes this project when the server
// answers, and fails the run when QUILLFLOW_REQUIRE_POSTGRES=1 and it does not).
process.env.QUILLFLOW_TEST_DB = 'postgresql';
if (!process.env.TEST_POSTGRES_URL) {
  throw new Error('TEST_POSTGRES_URL is not set for the integration-postgres project');
}
