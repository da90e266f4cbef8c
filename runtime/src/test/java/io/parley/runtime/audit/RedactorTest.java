package io.parley.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Behaviour 13 (text): personal data in message text is masked before it reaches the audit stream. */
class RedactorTest {

    private final Redactor redactor = new Redactor();

    @Test
    void emailAddressesAreMasked() {
        assertThat(redactor.redact("write to alice.smith+shop@example.co.uk please"))
                .isEqualTo("write to [email] please");
    }

    @Test
    void phoneNumbersAreMasked() {
        assertThat(redactor.redact("call me on +44 20 7946 0958 or 030-1234567"))
                .isEqualTo("call me on [phone] or [phone]");
    }

    @Test
    void luhnValidCardNumbersAreMaskedInAnyGrouping() {
        assertThat(redactor.redact("card 4111 1111 1111 1111 and 5500-0000-0000-0004 and 4012888888881881"))
                .isEqualTo("card [card] and [card] and [card]");
    }

    @Test
    void longNumbersThatFailTheLuhnCheckAreNotCards() {
        assertThat(Redactor.luhnValid("4111111111111112")).isFalse();
        assertThat(redactor.redact("reference 4111111111111112")).doesNotContain("[card]");
    }

    @Test
    void ibansAreMaskedWithOrWithoutSpaces() {
        assertThat(redactor.redact("pay to DE89 3704 0044 0532 0130 00 or GB29NWBK60161331926819"))
                .isEqualTo("pay to [iban] or [iban]");
    }

    @Test
    void ibansWrittenInLowerCaseAreMaskedToo() {
        assertThat(redactor.redact("my iban is de89 3704 0044 0532 0130 00"))
                .isEqualTo("my iban is [iban]");
    }

    @Test
    void ibanLookalikesThatFailTheCheckStay() {
        assertThat(Redactor.ibanValid("DE89370400440532013000")).isTrue();
        assertThat(Redactor.ibanValid("DE88370400440532013000")).isFalse();
        assertThat(redactor.redact("code AB12CDEFGHIJKLMNOP")).isEqualTo("code AB12CDEFGHIJKLMNOP");
    }

    @Test
    void datesAreNotTakenForPhoneNumbers() {
        assertThat(redactor.redact("Order 1001 was placed on 2026-11-20 and arrives 2026-11-26."))
                .isEqualTo("Order 1001 was placed on 2026-11-20 and arrives 2026-11-26.");
    }

    @Test
    void ordinaryOrderNumbersAndSkusStay() {
        assertThat(redactor.redact("where is my order 1001, is MUG-01 in stock?"))
                .isEqualTo("where is my order 1001, is MUG-01 in stock?");
    }

    @Test
    void noTextStaysNoText() {
        assertThat(redactor.redact(null)).isNull();
    }

    @Test
    void aCardNumberNextToAnotherNumberIsStillMasked() {
        assertThat(redactor.redact("order #1 4111 1111 1111 1111 please")).isEqualTo("order #1 [card] please");
        assertThat(redactor.redact("card 4111-1111-1111-1111 2 times")).isEqualTo("card [card] 2 times");
    }

    @Test
    void anIbanFollowedByAShortWordIsStillMasked() {
        assertThat(redactor.redact("iban DE89 3704 0044 0532 0130 00 ok")).isEqualTo("iban [iban] ok");
        assertThat(redactor.redact("iban NL91 ABNA 0417 1643 00 A thanks")).isEqualTo("iban [iban] A thanks");
    }
}
