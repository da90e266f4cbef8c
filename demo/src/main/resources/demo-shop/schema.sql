-- The demo shop of Parley's local mode and docker-compose stack.
-- Plain SQL that runs unchanged on H2 (local mode) and PostgreSQL (docker-compose mounts this
-- file into /docker-entrypoint-initdb.d): standard types, no vendor functions, one statement
-- per line group, each ending with a semicolon at the end of a line.
-- Running it again resets the demo shop.

DROP TABLE IF EXISTS order_items;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS shipments;
DROP TABLE IF EXISTS stock;
DROP TABLE IF EXISTS products;
DROP TABLE IF EXISTS duty_managers;
DROP TABLE IF EXISTS stores;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
    id   VARCHAR(64)  NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    tier VARCHAR(16)  NOT NULL
);

CREATE TABLE products (
    sku  VARCHAR(32)  NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL
);

CREATE TABLE stock (
    sku      VARCHAR(32) NOT NULL PRIMARY KEY REFERENCES products (sku),
    quantity INTEGER     NOT NULL CHECK (quantity >= 0)
);

CREATE TABLE shipments (
    tracking_id VARCHAR(32) NOT NULL PRIMARY KEY,
    carrier     VARCHAR(32) NOT NULL,
    status      VARCHAR(32) NOT NULL,
    eta         DATE
);

CREATE TABLE orders (
    id          VARCHAR(32)   NOT NULL PRIMARY KEY,
    customer_id VARCHAR(64)   NOT NULL REFERENCES customers (id),
    status      VARCHAR(32)   NOT NULL,
    total       NUMERIC(10,2) NOT NULL,
    currency    CHAR(3)       NOT NULL,
    placed_at   DATE          NOT NULL,
    tracking_id VARCHAR(32)   REFERENCES shipments (tracking_id)
);

CREATE TABLE order_items (
    order_id VARCHAR(32) NOT NULL REFERENCES orders (id),
    line_no  INTEGER     NOT NULL,
    sku      VARCHAR(32) NOT NULL REFERENCES products (sku),
    quantity INTEGER     NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE stores (
    id     VARCHAR(32)  NOT NULL PRIMARY KEY,
    name   VARCHAR(200) NOT NULL,
    opens  CHAR(5)      NOT NULL,
    closes CHAR(5)      NOT NULL
);

-- Who is on duty where the demo devices are (the freezer alert names them).
CREATE TABLE duty_managers (
    location VARCHAR(200) NOT NULL PRIMARY KEY,
    name     VARCHAR(200) NOT NULL,
    phone    VARCHAR(40)  NOT NULL
);
