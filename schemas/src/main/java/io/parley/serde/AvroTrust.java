package io.parley.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro that Parley's generated classes may be instantiated when records are read.
 *
 * <p>Avro 1.12 refuses to load any class not explicitly trusted ({@code SecurityException:
 * Forbidden ...}). Trust is granted once per JVM, by package, on top of whatever the host
 * application already trusts (its system properties or its own global predicate).
 */
public final class AvroTrust {

    /** Every generated Parley class lives under this package. */
    public static final String TRUSTED_PACKAGE = "io.parley.schemas";

    private static boolean installed;

    private AvroTrust() {
    }

    /** Installs the trust if it is not installed yet; cheap and safe to call many times. */
    public static synchronized void ensureTrusted() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate parleyClasses = AvroTrust::isParleyClass;
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), parleyClasses));
        installed = true;
    }

    static boolean isParleyClass(Class<?> type) {
        String name = type.getName();
        return name.startsWith(TRUSTED_PACKAGE + ".");
    }
}
