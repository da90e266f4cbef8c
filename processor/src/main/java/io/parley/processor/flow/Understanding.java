package io.parley.processor.flow;

import io.parley.processor.nlu.RankedIntent;
import java.util.List;

/** What a message asks for: an intent, a choice between intents the classifier could not tell apart, or nothing known. */
public sealed interface Understanding {

    /** An intent, recognised by a rule, its title or the classifier. */
    record Matched(IntentMatch match) implements Understanding {
    }

    /**
     * The classifier leans towards these intents but not enough to pick one: ask the user.
     *
     * @param choices the intents to offer, best first
     * @param ranked the classifier's ranking, for the audit
     * @param model the classifier's fingerprint
     */
    record Ambiguous(List<IntentDefinition> choices, List<RankedIntent> ranked, String model) implements Understanding {
    }

    /**
     * No rule matched and the classifier (if any) was not confident enough.
     *
     * @param decidedBy {@code rules}, or {@code classifier} when the built-in classifier was asked
     * @param ranked the classifier's ranking, empty without one
     */
    record NotUnderstood(String decidedBy, List<RankedIntent> ranked) implements Understanding {
    }
}
