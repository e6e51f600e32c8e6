// Jest's "postgres" project (jest.config.js): every test app of the e2e suite
// gets a uniquely named PostgreSQL database instead of a SQLite file.
process.env.TEST_DATABASE = 'postgres';
