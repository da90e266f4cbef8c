package io.parley.runtime.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links and headings of Markdown files as GitHub renders them: what a link points to, and the
 * anchors a file's headings get. Text inside fenced code blocks and inline code spans is no link.
 */
final class MarkdownLinks {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1", Pattern.DOTALL);
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    /** A link as written, with its line. */
    record Link(int line, String target) {
    }

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    MarkdownLinks(Path root) {
        this.root = root;
    }

    /**
     * The anchor GitHub gives a heading: lower case; letters, digits, spaces, '-' and '_' kept,
     * everything else dropped; spaces become '-'.
     */
    static String anchor(String heading) {
        String text = heading.strip().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
            } else if (c == ' ') {
                out.append('-');
            }
        });
        return out.toString();
    }

    /** The anchors of a document's headings, a repeated one numbered as GitHub does (-1, -2, ...). */
    static Set<String> anchors(String markdown) {
        Set<String> result = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String anchor = anchor(heading.group(2));
            Integer count = seen.merge(anchor, 0, (old, zero) -> old + 1);
            result.add(count == 0 ? anchor : anchor + "-" + count);
        }
        return result;
    }

    /** The links of a document, outside code. */
    static List<Link> links(String markdown) {
        StringBuilder prose = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            boolean fence = line.startsWith("```");
            prose.append(fenced || fence ? " ".repeat(line.length()) : line).append('\n');
            if (fence) {
                fenced = !fenced;
            }
        }
        // Code spans may run over a line break; blank them keeping the line breaks, so lines stay right.
        Matcher code = CODE_SPAN.matcher(prose);
        StringBuilder text = new StringBuilder();
        while (code.find()) {
            code.appendReplacement(text, Matcher.quoteReplacement(code.group().replaceAll("[^\\n]", " ")));
        }
        code.appendTail(text);
        List<Link> links = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            int line = 1 + (int) text.substring(0, link.start()).chars().filter(c -> c == '\n').count();
            links.add(new Link(line, link.group(1)));
        }
        return links;
    }

    /** Every problem with the relative links of one file (relative to the root), as "file:line: ...". */
    List<String> problems(Path file) {
        String markdown = read(root.resolve(file));
        List<String> problems = new ArrayList<>();
        for (Link link : links(markdown)) {
            String target = link.target();
            if (SCHEME.matcher(target).find()) {
                continue;   // http(s), mailto: not checked here, nothing leaves the machine
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = path.isEmpty() ? root.resolve(file) : root.resolve(file).getParent().resolve(path).normalize();
            String where = file + ":" + link.line() + ": link '" + target + "'";
            if (!resolved.startsWith(root)) {
                problems.add(where + " leaves the repository");
            } else if (!Files.exists(resolved)) {
                problems.add(where + " points to " + root.relativize(resolved) + ", which does not exist");
            } else if (fragment != null) {
                if (!resolved.getFileName().toString().endsWith(".md")) {
                    problems.add(where + " has an anchor into a file that is not Markdown");
                } else if (!anchors.computeIfAbsent(resolved, p -> anchors(read(p))).contains(fragment)) {
                    problems.add(where + " names the anchor #" + fragment + ", which " + root.relativize(resolved)
                            + " does not have; it has " + anchors.get(resolved));
                }
            }
        }
        return problems;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
