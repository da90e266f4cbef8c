package io.parley.processor;

/** Backend results as the demo shop returns them (see the demo contract). */
final class DemoResults {

    static final String ORDER_1001 = """
            {"orderId":"1001","customerId":"alice","status":"SHIPPED","total":"42.50","currency":"EUR",
             "placedAt":"2026-11-20","trackingId":"TRK-1001","items":["Blue mug","Tea sampler"]}""";
    static final String ORDER_1002 = """
            {"orderId":"1002","customerId":"alice","status":"PROCESSING","total":"12.00","currency":"EUR",
             "placedAt":"2026-11-23","items":["Tea sampler"]}""";
    static final String SHIPMENT_TRK_1001 = """
            {"trackingId":"TRK-1001","carrier":"DHL","status":"IN_TRANSIT","eta":"2026-11-26"}""";
    static final String INVENTORY_MUG = """
            {"sku":"MUG-01","name":"Blue mug","quantity":12,"inStock":true}""";
    static final String STORE_HOURS = """
            {"storeId":"main","name":"Parley Shop Central","opens":"09:00","closes":"18:00"}""";
    static final String PROFILE_ALICE = """
            {"id":"alice","name":"Alice","tier":"gold"}""";

    private DemoResults() {
    }
}
