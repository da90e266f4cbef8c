package io.parley.processor.encryption;

import io.parley.schemas.state.SealedParts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Envelope encryption: each value gets a fresh random AES-256 data key and nonce; the value is
 * encrypted with AES-GCM under the data key, and the data key is wrapped (AES key wrap, RFC 3394)
 * with the current key-encryption key, whose id travels with the value. A value therefore names
 * the key that opens it, and a new key-encryption key never requires rewriting old values.
 */
final class Envelope {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing keys;
    private final SecureRandom random;
    private final KeyGenerator dataKeys;

    Envelope(KeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
        try {
            this.dataKeys = KeyGenerator.getInstance("AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES", e);
        }
        dataKeys.init(256, random);
    }

    /** Whether new values are sealed. */
    boolean sealing() {
        return keys.current().isPresent();
    }

    /**
     * Seals {@code plain} under the current key.
     *
     * @param context what the value belongs to (authenticated, not encrypted): opening it under another context fails
     */
    SealedParts seal(byte[] plain, String context) {
        String keyId = keys.current().orElseThrow(() -> new IllegalStateException("no current key: values are written in clear"));
        SecretKey kek = keys.key(keyId).orElseThrow();
        try {
            SecretKey dataKey;
            synchronized (dataKeys) {
                dataKey = dataKeys.generateKey();
            }
            Cipher wrap = Cipher.getInstance("AESWrap");
            wrap.init(Cipher.WRAP_MODE, kek);
            byte[] wrapped = wrap.wrap(dataKey);

            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(associatedData(keyId, context));
            byte[] ciphertext = gcm.doFinal(plain);
            return SealedParts.newBuilder().setKeyId(keyId).setWrappedKey(ByteBuffer.wrap(wrapped))
                    .setNonce(ByteBuffer.wrap(nonce)).setCiphertext(ByteBuffer.wrap(ciphertext)).build();
        } catch (GeneralSecurityException e) {
            throw new SealingException("a session value could not be sealed with key '" + keyId + "' (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Opens what {@link #seal} sealed under the same context. */
    byte[] open(SealedParts sealed, String context) {
        String keyId = sealed.getKeyId();
        SecretKey kek = keys.key(keyId).orElseThrow(() -> new SealingException("a session value of conversation '" + context
                + "' is sealed with key '" + keyId + "', which is not configured: keep it under encryption.keys (as a decrypt-only key) "
                + "until no value sealed with it remains; configured keys are " + keys.ids()));
        try {
            Cipher unwrap = Cipher.getInstance("AESWrap");
            unwrap.init(Cipher.UNWRAP_MODE, kek);
            SecretKey dataKey = (SecretKey) unwrap.unwrap(bytes(sealed.getWrappedKey()), "AES", Cipher.SECRET_KEY);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, bytes(sealed.getNonce())));
            gcm.updateAAD(associatedData(keyId, context));
            return gcm.doFinal(bytes(sealed.getCiphertext()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealingException("a session value of conversation '" + context + "' could not be opened with key '" + keyId
                    + "': the key is not the one it was sealed with, or the value was altered (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] associatedData(String keyId, String context) {
        return (keyId + "\u0000" + context).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
