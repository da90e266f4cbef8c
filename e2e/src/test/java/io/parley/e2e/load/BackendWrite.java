package io.parley.e2e.load;

/** A change a message asks a backend to make, which must be applied exactly once. */
public sealed interface BackendWrite {

    /** A voucher claimed through the shop API. */
    record VoucherClaim(String code) implements BackendWrite {
    }

    /** Points redeemed in the loyalty database. */
    record Redemption(int points) implements BackendWrite {
    }
}
