const assert = require('assert');
const mysql = require('mysql2/promise');

describe('mysql schema', function () {
  let conn;

  beforeEach(async function () {
    conn = await mysql.createConnection(process.env.TEST_MYSQL_URL);
  });

  afterEach(async function () {
    await conn.end();
  });

  it('has utf8mb4 tables', async function () {
    const [rows] = await conn.query(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COLLATION NOT LIKE 'utf8mb4%'",
    );
    assert.deepStrictEqual(rows, []);
  });
});
