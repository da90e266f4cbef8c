package io.parley.local.tools.flowtest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a test file's results in the JUnit XML format CI servers read ({@code TEST-<file>.xml},
 * one {@code testsuite}, a {@code testcase} per test, the diff as the failure's text).
 */
public final class JUnitXmlReport {

    private JUnitXmlReport() {
    }

    /** Writes the report into the folder (created if needed) and returns its path. */
    public static Path write(Path directory, FlowTestResult.Suite suite) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("TEST-" + suiteName(suite).replaceAll("[^A-Za-z0-9._-]", "_") + ".xml");
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suiteName(suite));
            xml.writeAttribute("tests", String.valueOf(suite.results().size()));
            xml.writeAttribute("failures", String.valueOf(suite.failures()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", "0");
            xml.writeAttribute("time", seconds(suite.millis()));
            for (FlowTestResult result : suite.results()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", suiteName(suite));
                xml.writeAttribute("name", result.name());
                xml.writeAttribute("time", seconds(result.millis()));
                if (result.failure().isPresent()) {
                    FlowTestResult.Failure failure = result.failure().get();
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", failure.where());
                    xml.writeCharacters(failure.diff());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static String suiteName(FlowTestResult.Suite suite) {
        String name = suite.file().replace('\\', '/');
        return name.substring(name.lastIndexOf('/') + 1).replace("classpath:", "");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
