// Jest project integration-sqlite: every suite's platform uses a fresh SQLite file.
process.env.QUILLFLOW_TEST_DB = 'sqlite';
