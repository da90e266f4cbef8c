package io.parley.gateway.chat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Conversation ids the gateway mints and the browser keeps. An id is bound to its user by an HMAC,
 * so a browser cannot attach to (and read the replies of) another user's conversation by guessing
 * or copying its id: {@code <random>.<hmac(user, random)>}.
 */
public final class ConversationIds {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    public ConversationIds(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the conversation id key must be at least 32 bytes long");
        }
        this.key = key.clone();
    }

    /** A new conversation id for the user. */
    public String mint(String userId) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String part = B64.encodeToString(nonce);
        return part + "." + mac(userId, part);
    }

    /** Whether the id was minted by this gateway (same key) for this user. */
    public boolean belongsTo(String conversationId, String userId) {
        if (conversationId == null || conversationId.length() > 100) {
            return false;
        }
        int dot = conversationId.indexOf('.');
        if (dot <= 0 || dot == conversationId.length() - 1) {
            return false;
        }
        String part = conversationId.substring(0, dot);
        byte[] expected = mac(userId, part).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = conversationId.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    private String mac(String userId, String part) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(userId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(part.getBytes(StandardCharsets.UTF_8));
            byte[] full = mac.doFinal();
            byte[] shortened = new byte[18];
            System.arraycopy(full, 0, shortened, 0, shortened.length);
            return B64.encodeToString(shortened);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
