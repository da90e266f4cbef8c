package io.parley.runtime.access;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** PEM public keys ({@code -----BEGIN PUBLIC KEY-----}, RSA or EC) as Java keys. */
final class PublicKeys {

    private PublicKeys() {
    }

    /** The key; {@link IllegalArgumentException} with a message that never shows the text when it is not one. */
    static PublicKey parse(String pem) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PEM public key (-----BEGIN PUBLIC KEY----- ... base64 ...)");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)");
    }
}
