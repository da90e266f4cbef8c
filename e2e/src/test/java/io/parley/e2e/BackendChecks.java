package io.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.e2e.env.LoyaltyDatabase;
import io.parley.e2e.env.Pipeline;
import io.parley.e2e.load.LoadPlan;
import io.parley.e2e.load.Settled;
import io.parley.schemas.BackendRequest;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the backend side must show after a load: each request issued once and answered, each write applied once. */
final class BackendChecks {

    private BackendChecks() {
    }

    /**
     * The committed backend requests hold each request id once (a request of an aborted
     * transaction is not seen by read_committed readers, and a restarted processor does not issue
     * a committed request again), and the pipeline settled, so each has a response.
     */
    static void assertRequestsIssuedOnceAndAnswered(Settled settled) {
        assertThat(settled.requests()).extracting(BackendRequest::getRequestId).as("committed backend request ids")
                .doesNotHaveDuplicates();
        assertThat(settled.unansweredRequests()).as("requests without a response").isEmpty();
    }

    /**
     * The shop API applied one claim per claim message, under that message's request id as the
     * idempotency key, and saw no other key; the database holds one redemption per redeem
     * message, balances debited once each, and one inbox row per redemption request.
     */
    static void assertWritesAppliedExactlyOnce(LoadPlan plan, Pipeline pipeline) {
        Set<String> claimKeys = plan.claimKeys();
        assertThat(difference(claimKeys, pipeline.shop().appliedClaims().keySet()))
                .as("voucher claims applied by the shop API, by idempotency key")
                .isEmpty();
        assertThat(difference(claimKeys, pipeline.shop().claimDeliveries().keySet()))
                .as("idempotency keys the shop API received (a key outside the plan is a claim the worker made up)")
                .isEmpty();

        LoyaltyDatabase loyalty = pipeline.loyalty();
        assertThat(differences(plan.redemptionsByConversation(), loyalty.redemptionsByConversation()))
                .as("redemption rows per conversation: planned → found")
                .isEmpty();
        assertThat(differences(plan.balances(LoyaltyDatabase.STARTING_POINTS), loyalty.balances()))
                .as("points left per customer: planned → found")
                .isEmpty();
        int redemptions = plan.redemptionsByConversation().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(loyalty.inboxByOperation()).as("the worker's inbox rows by operation")
                .isEqualTo(Map.of("redeemPoints", redemptions));
    }

    /** "missing: …" and "unexpected: …" entries, empty when the sets are equal. */
    private static Set<String> difference(Set<String> expected, Set<String> actual) {
        Set<String> difference = new TreeSet<>();
        expected.stream().filter(key -> !actual.contains(key)).forEach(key -> difference.add("missing: " + key));
        actual.stream().filter(key -> !expected.contains(key)).forEach(key -> difference.add("unexpected: " + key));
        return difference;
    }

    /** Keys whose values differ, as "expected → actual". */
    private static Map<String, String> differences(Map<String, Integer> expected, Map<String, Integer> actual) {
        Map<String, String> differences = new TreeMap<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            Integer wanted = expected.get(key);
            Integer found = actual.get(key);
            if (wanted == null ? found != null : !wanted.equals(found)) {
                differences.put(key, wanted + " → " + found);
            }
        }
        return differences;
    }
}
