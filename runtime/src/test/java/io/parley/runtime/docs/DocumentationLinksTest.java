package io.parley.runtime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation holds together: the README stays a short front door, and every relative link
 * and anchor in README.md, docs/ and examples/ leads somewhere that exists.
 */
class DocumentationLinksTest {

    /** Run from the module folder, as Maven does. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final int README_MAX_LINES = 250;

    @Test
    void theReadmeIsAFrontDoorOfAtMost250Lines() throws IOException {
        // Given the README
        List<String> lines = Files.readAllLines(REPOSITORY.resolve("README.md"));

        // Then it is short, and points to the guides
        assertThat(lines).as("README.md lines (move details into a guide under docs/)").hasSizeLessThanOrEqualTo(README_MAX_LINES);
        assertThat(String.join("\n", lines)).contains("](docs/getting-started.md)");
    }

    @Test
    void everyRelativeLinkAndAnchorOfTheDocumentationResolves() throws IOException {
        // Given README.md and every Markdown file under docs/ and examples/
        List<Path> documents = documents();
        assertThat(documents).as("documents found").hasSizeGreaterThan(10);

        // When their links are followed
        MarkdownLinks links = new MarkdownLinks(REPOSITORY);
        List<String> problems = new ArrayList<>();
        documents.forEach(document -> problems.addAll(links.problems(document)));

        // Then each leads to a file that exists, and each anchor to a heading of it
        assertThat(problems).as("broken links").isEmpty();
    }

    @Test
    void aBrokenLinkOrAnchorIsReportedWithFileAndLine(@TempDir Path root) throws IOException {
        // Given a guide with a good link, a missing file, a missing anchor, and links inside code
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/other.md"), "# Other\n\n## Crash recovery and group membership\n");
        Files.writeString(root.resolve("docs/guide.md"), """
                # Guide
                See [other](other.md#crash-recovery-and-group-membership) and [here](#guide).
                A [missing file](gone.md) and a [missing anchor](other.md#nowhere).
                Not links: `[x](nope.md)` and
                ```
                [y](nope-either.md)
                ```
                """);

        // When its links are checked
        List<String> problems = new MarkdownLinks(root).problems(Path.of("docs/guide.md"));

        // Then exactly the two broken ones are reported, by file and line
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("docs/guide.md:3: link 'gone.md' points to docs/gone.md, which does not exist");
        assertThat(problems.get(1)).startsWith("docs/guide.md:3: link 'other.md#nowhere' names the anchor #nowhere");
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertThat(MarkdownLinks.anchor("`parley flows validate FILES... [--connectors FILES]`"))
                .isEqualTo("parley-flows-validate-files---connectors-files");
        assertThat(MarkdownLinks.anchor("Failover (S6)")).isEqualTo("failover-s6");
        assertThat(MarkdownLinks.anchor("processor.yaml")).isEqualTo("processoryaml");
        assertThat(MarkdownLinks.anchors("# A\n## Tests\n```\n# not a heading\n```\n### Tests\n"))
                .containsExactly("a", "tests", "tests-1");
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        for (String folder : List.of("docs", "examples")) {
            Path start = REPOSITORY.resolve(folder);
            if (!Files.isDirectory(start)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(start)) {
                files.filter(file -> file.toString().endsWith(".md") && !file.toString().contains("/target/"))
                        .map(REPOSITORY::relativize).sorted().forEach(documents::add);
            }
        }
        return documents;
    }
}
