-- Seed data of the demo shop (see notes/demo-contract: customers alice and bob, orders 1001,
-- 1002 and 2001, shipments TRK-1001 and TRK-2001, stock of MUG-01 and TEA-02, store main).
-- Runs unchanged on H2 and PostgreSQL, after schema.sql.

INSERT INTO customers (id, name, tier) VALUES
    ('alice', 'Alice', 'gold'),
    ('bob', 'Bob', 'silver');

INSERT INTO products (sku, name) VALUES
    ('MUG-01', 'Blue mug'),
    ('TEA-02', 'Tea sampler');

INSERT INTO stock (sku, quantity) VALUES
    ('MUG-01', 12),
    ('TEA-02', 0);

INSERT INTO shipments (tracking_id, carrier, status, eta) VALUES
    ('TRK-1001', 'DHL', 'IN_TRANSIT', DATE '2026-11-26'),
    ('TRK-2001', 'UPS', 'DELIVERED', DATE '2026-11-12');

INSERT INTO orders (id, customer_id, status, total, currency, placed_at, tracking_id) VALUES
    ('1001', 'alice', 'SHIPPED', 42.50, 'EUR', DATE '2026-11-20', 'TRK-1001'),
    ('1002', 'alice', 'PROCESSING', 18.00, 'EUR', DATE '2026-11-23', NULL),
    ('2001', 'bob', 'DELIVERED', 9.90, 'EUR', DATE '2026-11-08', 'TRK-2001');

INSERT INTO order_items (order_id, line_no, sku, quantity) VALUES
    ('1001', 1, 'MUG-01', 1),
    ('1001', 2, 'TEA-02', 1),
    ('1002', 1, 'TEA-02', 2),
    ('2001', 1, 'MUG-01', 1);

INSERT INTO stores (id, name, opens, closes) VALUES
    ('main', 'Parley Shop Central', '09:00', '18:00');

INSERT INTO duty_managers (location, name, phone) VALUES
    ('store 12', 'Maria Lopez', '+44 20 7946 0012');
