package io.parley.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The two ways Parley's images are built — Jib without a daemon (distribution/pom.xml, profile
 * images) and deploy/docker/Dockerfile for docker-compose — stay the same image: one base image,
 * declared once; the same layout, user, working directory, entrypoint and JVM flags; an image for
 * every service the compose file and the Kubernetes manifests run.
 */
class ContainerImagesTest {

    private static final Path ROOT = Path.of(System.getProperty("parley.root", ".."));
    private static final Pattern K8S_IMAGE = Pattern.compile("(?m)^\\s+image: (parley/[a-z-]+):(\\S+)$");

    /** A Jib execution: the image it builds and the class it runs. */
    record JibImage(String repository, String tag, String mainClass, String port) {
    }

    @Test
    void baseImageIsDeclaredOnceAndUsedByJibAndTheDockerfile() throws Exception {
        String base = property(parse(ROOT.resolve("pom.xml")), "parley.base.image");
        Element jib = jibPlugin();

        assertThat(base).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?");
        assertThat(text(child(child(jib, "configuration"), "from"), "image")).isEqualTo("${parley.base.image}");
        List<String> froms = Files.readAllLines(ROOT.resolve("deploy/docker/Dockerfile")).stream()
                .filter(line -> line.startsWith("FROM ")).toList();
        assertThat(froms.get(froms.size() - 1)).isEqualTo("FROM " + base + " AS runtime");
    }

    @Test
    void jibAndTheDockerfileMakeTheSameContainer() throws Exception {
        Element configuration = child(jibPlugin(), "configuration");
        Element container = child(configuration, "container");
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));

        assertThat(text(container, "appRoot")).isEqualTo("/app");
        assertThat(dockerfile).contains("COPY --from=build /app/libs /app/libs");
        assertThat(dockerfile).contains("USER " + text(container, "user") + "\n");
        assertThat(dockerfile).contains("WORKDIR " + text(container, "workingDirectory") + "\n");
        assertThat(match(dockerfile, "JAVA_OPTS=\"([^\"]*)\"")).isEqualTo(text(container, "environment", "JAVA_OPTS"));
        // One entrypoint, copied from the same files: the start script, and the class data sharing and logging it shares with the tarball
        assertThat(text(container, "entrypoint", "arg")).isEqualTo("/app/bin/parley-start");
        assertThat(dockerfile).contains("ENTRYPOINT [\"/app/bin/parley-start\"]\n",
                "/src/distribution/src/image/app/bin/parley-start /app/bin/parley-start\n",
                "/src/distribution/src/dist/libexec/parley-class-sharing.sh /app/libexec/parley-class-sharing.sh\n",
                "/src/distribution/src/dist/conf/logback.xml /app/conf/logback.xml\n");
        NodeList paths = child(child(configuration, "extraDirectories"), "paths").getElementsByTagName("path");
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < paths.getLength(); i++) {
            Element path = (Element) paths.item(i);
            extra.add(path.getElementsByTagName("from").getLength() == 0 ? path.getTextContent().trim()
                    : text(path, "from") + " -> " + text(path, "into") + " " + text(path, "includes"));
        }
        assertThat(extra).containsExactly("${project.basedir}/src/image",
                "${project.basedir}/src/dist/libexec -> /app/libexec parley-class-sharing.sh",
                "${project.basedir}/src/dist/conf -> /app/conf logback.xml");
        assertThat(ROOT.resolve("distribution/src/image/app/bin/parley-start")).isExecutable();
    }

    @Test
    void everyServiceOfTheComposeFileHasAJibImageRunningTheSameClass() throws Exception {
        Map<String, JibImage> jib = jibImages();
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile()).path("services");
        int built = 0;

        for (var service : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            JsonNode build = service.getValue().path("build");
            if (build.isMissingNode()) {
                continue;
            }
            built++;
            String image = service.getValue().path("image").asText();
            assertThat(image).as(service.getKey()).matches("parley/[a-z-]+:\\$\\{PARLEY_VERSION:-dev}");
            String repository = image.substring(0, image.indexOf(':'));
            assertThat(jib).as("a Jib image for compose service " + service.getKey()).containsKey(repository);
            assertThat(build.path("args").path("MAIN_CLASS").asText()).isEqualTo(jib.get(repository).mainClass());
        }
        assertThat(built).isGreaterThanOrEqualTo(4);
    }

    @Test
    void kubernetesRunsTheImagesJibBuildsAtThisVersion() throws Exception {
        Map<String, JibImage> jib = jibImages();
        String version = text(parse(ROOT.resolve("distribution/pom.xml")).getDocumentElement(), "parent", "version");
        List<String> images = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MonitoringFiles.DEPLOY.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher matcher = K8S_IMAGE.matcher(Files.readString(file));
                while (matcher.find()) {
                    images.add(matcher.group(1));
                    assertThat(jib).as(file + " runs " + matcher.group(1)).containsKey(matcher.group(1));
                    assertThat(matcher.group(2)).isEqualTo(version);
                }
            }
        }
        assertThat(images).contains("parley/processor", "parley/worker", "parley/gateway");
        assertThat(jib.values()).allSatisfy(image -> assertThat(image.tag()).isEqualTo("${project.version}"));
    }

    @Test
    void composeFileIsValid() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("docker-compose is not installed: install Debian's docker-compose package (.ci/run does)", e);
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    // --- reading the poms ---

    private static Map<String, JibImage> jibImages() throws Exception {
        Map<String, JibImage> images = new LinkedHashMap<>();
        NodeList executions = child(jibPlugin(), "executions").getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element configuration = child((Element) executions.item(i), "configuration");
            String image = text(configuration, "to", "image");
            Element container = child(configuration, "container");
            images.put(image.substring(0, image.indexOf(':')), new JibImage(image.substring(0, image.indexOf(':')),
                    image.substring(image.indexOf(':') + 1), text(container, "environment", "PARLEY_MAIN_CLASS"),
                    text(container, "ports", "port")));
        }
        return images;
    }

    private static Element jibPlugin() throws Exception {
        NodeList plugins = parse(ROOT.resolve("distribution/pom.xml")).getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
                return plugin;
            }
        }
        throw new AssertionError("distribution/pom.xml has no jib-maven-plugin");
    }

    private static String property(Document pom, String name) {
        return text(child(pom.getDocumentElement(), "properties"), name);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element parent, String... path) {
        Element element = parent;
        for (String name : path) {
            element = child(element, name);
        }
        return element.getTextContent().trim();
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }
}
