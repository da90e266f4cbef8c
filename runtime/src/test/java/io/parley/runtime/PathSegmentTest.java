package io.parley.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathSegmentTest {

    @ParameterizedTest
    @ValueSource(strings = {"a+b", "100%", "a/b", "with space", "ünïcødé-会話-🙂", "plain", "%2F", "+"})
    void anIdEncodedAsAPathSegmentDecodesToItself(String id) throws Exception {
        // Given the id as a client puts it in a path: every byte but the unreserved ones escaped, '+' left as is
        String raw = encode(id);

        // Then decoding the raw segment gives the id back
        assertThat(PathSegment.decode(raw)).contains(id);
    }

    @Test
    void aPlusIsAPlusNotASpace() {
        assertThat(PathSegment.decode("conv+1")).contains("conv+1");
        assertThat(PathSegment.decode("conv%2B1")).contains("conv+1");
        assertThat(PathSegment.decode("conv%201")).contains("conv 1");
    }

    @Test
    void malformedEscapesAreRefused() {
        assertThat(PathSegment.decode("100%")).isEmpty();
        assertThat(PathSegment.decode("%zz")).isEmpty();
        assertThat(PathSegment.decode("%C3")).isEmpty();
    }

    /** RFC 3986 percent-encoding of a path segment, written independently of the decoder under test. */
    static String encode(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~+".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
