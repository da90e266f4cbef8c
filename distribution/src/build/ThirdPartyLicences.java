import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Writes licenses/THIRD-PARTY.txt: one line per bundled library with the licences its POM (or the
 * nearest parent POM) declares, read from the local Maven repository; nothing is downloaded.
 * Run by the build as a single-file program:
 * {@code java ThirdPartyLicences.java <dependency:list output> <THIRD-PARTY.txt>}.
 * A library whose POMs declare no licence stops the build: someone must look before it ships.
 */
public final class ThirdPartyLicences {

    public static void main(String[] args) throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        TreeSet<String> sorted = new TreeSet<>();
        for (String raw : Files.readAllLines(Path.of(args[0]))) {
            String line = raw.trim();
            // group:artifact:type[:classifier]:version:scope:/absolute/path.jar (dependency:list with outputAbsoluteArtifactFilename)
            String[] parts = line.split(":");
            if (parts.length < 6 || !line.contains("/")) {
                continue;
            }
            int pathStart = line.indexOf(":/");
            String coordinates = line.substring(0, pathStart);
            Path jar = Path.of(line.substring(pathStart + 1).replaceAll(" -- .*$", "").trim());
            String[] c = coordinates.split(":");
            String group = c[0];
            String artifact = c[1];
            String version = c[c.length - 2];
            Path pom = jar.resolveSibling(artifact + "-" + version + ".pom");
            Path repository = jar.getParent().getParent().getParent();
            for (int i = 0; i < group.split("\\.").length; i++) {
                repository = repository.getParent();
            }
            List<String> licences = licences(pom, repository);
            String entry = group + ":" + artifact + ":" + version;
            if (licences.isEmpty()) {
                unknown.add(entry);
            }
            sorted.add(String.format("%-70s %s", entry, licences.isEmpty() ? "UNKNOWN" : String.join(" OR ", licences)));
        }
        lines.add("Libraries bundled in lib/ and the licences their Maven POMs declare (" + sorted.size() + ").");
        lines.add("The licence texts these libraries ship are in texts/<library>/.");
        lines.add("");
        lines.addAll(sorted);
        Files.createDirectories(Path.of(args[1]).getParent());
        Files.write(Path.of(args[1]), lines);
        if (!unknown.isEmpty()) {
            System.err.println("ThirdPartyLicences: no licence declared by the POMs of " + unknown);
            System.exit(1);
        }
    }

    private static List<String> licences(Path pom, Path repository) throws Exception {
        for (int depth = 0; depth < 10 && Files.exists(pom); depth++) {
            Document document = parse(pom);
            Element project = document.getDocumentElement();
            List<String> names = new ArrayList<>();
            Element licences = child(project, "licenses");
            if (licences != null) {
                NodeList list = licences.getElementsByTagName("license");
                for (int i = 0; i < list.getLength(); i++) {
                    Element name = child((Element) list.item(i), "name");
                    if (name != null && !name.getTextContent().isBlank()) {
                        names.add(name.getTextContent().trim().replaceAll("\\s+", " "));
                    }
                }
            }
            if (!names.isEmpty()) {
                return names;
            }
            Element parent = child(project, "parent");
            if (parent == null) {
                return names;
            }
            String group = text(parent, "groupId");
            String artifact = text(parent, "artifactId");
            String version = text(parent, "version");
            pom = repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                    .resolve(artifact + "-" + version + ".pom");
        }
        return List.of();
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        try (var in = Files.newInputStream(pom)) {
            return factory.newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw new IOException(pom + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getTagName())) {
                return element;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? "" : element.getTextContent().trim();
    }
}
