package io.parley.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Who starts HTTP servers: runtime's one server stack (io.parley.runtime.http.WebServer), and no one else. */
class HttpServersTest {

    @Test
    void noClassOutsideRuntimeStartsAnHttpServer() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(ParleyClasses.RUNTIME)
                .should(startAnHttpServer())
                .because("one HTTP server stack, in runtime, serves admin endpoints, APIs and the gateway: one place "
                        + "for TLS, limits, metrics and shutdown");
        rule.check(ParleyClasses.all());
    }

    @Test
    void runtimeItselfStartsOneServerStack() {
        // Given the classes of runtime
        // When those that create a server are listed
        // Then it is the one server stack (so the rule above detects what it claims to)
        Set<String> starting = ParleyClasses.all().stream().filter(HttpServersTest::startsAnHttpServer)
                .map(HttpServersTest::topLevel).collect(Collectors.toCollection(TreeSet::new));
        assertThat(starting).containsExactly("io.parley.runtime.http.WebServer");
    }

    /** A nested class (a builder) counts as its top-level class. */
    private static String topLevel(JavaClass item) {
        String name = item.getName();
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    private static ArchCondition<JavaClass> startAnHttpServer() {
        return new ArchCondition<>("start an HTTP server (JDK HttpServer.create or a new Jetty Server)") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaAccess<?> access : serverStarts(item)) {
                    events.add(SimpleConditionEvent.violated(item, access.getDescription()));
                }
            }
        };
    }

    private static boolean startsAnHttpServer(JavaClass item) {
        return !serverStarts(item).isEmpty();
    }

    private static List<JavaAccess<?>> serverStarts(JavaClass item) {
        return item.getAccessesFromSelf().stream()
                .filter(access -> {
                    String owner = access.getTargetOwner().getName();
                    String name = access.getName();
                    boolean jdk = (owner.equals("com.sun.net.httpserver.HttpServer")
                            || owner.equals("com.sun.net.httpserver.HttpsServer")) && name.equals("create");
                    boolean jetty = owner.equals("org.eclipse.jetty.server.Server") && name.equals("<init>");
                    return jdk || jetty;
                })
                .<JavaAccess<?>>map(access -> access)
                .toList();
    }
}
