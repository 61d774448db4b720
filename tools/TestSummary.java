import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The grand total of a build's tests, printed by ./mvnw after Maven ends: Surefire and Failsafe print a total per
 * module, and the reason a test was skipped only in their XML reports. Reads the TEST-*.xml reports written since
 * the build started (the marker file's time) in every module of the project.
 *
 * <pre>java tools/TestSummary.java MARKER_FILE PROJECT_DIR</pre>
 */
public final class TestSummary {

    public static void main(String[] args) throws Exception {
        long since = Files.getLastModifiedTime(Path.of(args[0])).toMillis();
        Path project = Path.of(args[1]);
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> files = Files.find(project, 4, (p, a) -> a.isRegularFile()
                && a.lastModifiedTime().toMillis() >= since
                && p.getFileName().toString().startsWith("TEST-")
                && p.getFileName().toString().endsWith(".xml")
                && (p.getParent().endsWith("surefire-reports") || p.getParent().endsWith("failsafe-reports")))) {
            files.forEach(reports::add);
        }
        if (reports.isEmpty()) {
            return; // no test ran (-DskipTests, or a goal before test)
        }
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        TreeSet<String> modules = new TreeSet<>();
        List<String> skips = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        var builder = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        for (Path report : reports) {
            Element suite;
            try {
                suite = builder.parse(report.toFile()).getDocumentElement();
            } catch (org.xml.sax.SAXException | IOException e) {
                continue; // a report still being written by a killed run
            }
            modules.add(project.relativize(report).getName(0).toString());
            tests += count(suite, "tests");
            failures += count(suite, "failures");
            errors += count(suite, "errors");
            skipped += count(suite, "skipped");
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                String name = simpleName(c.getAttribute("classname")) + "." + c.getAttribute("name");
                NodeList skip = c.getElementsByTagName("skipped");
                if (skip.getLength() > 0) {
                    String why = ((Element) skip.item(0)).getAttribute("message");
                    skips.add(name + ": " + (why.isBlank() ? "no reason given" : why));
                }
                if (c.getElementsByTagName("failure").getLength() > 0
                        || c.getElementsByTagName("error").getLength() > 0) {
                    broken.add(name);
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nTests, all modules: %d run in %d module%s — %d passed, %d failed, %d skipped%n",
                tests,
                modules.size(),
                modules.size() == 1 ? "" : "s",
                tests - failures - errors - skipped,
                failures + errors,
                skipped);
        skips.forEach(s -> System.out.println("  skipped " + s));
        broken.forEach(b -> System.out.println("  FAILED  " + b));
    }

    private static int count(Element suite, String attribute) {
        String value = suite.getAttribute(attribute);
        return value.isBlank() ? 0 : Integer.parseInt(value);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private TestSummary() {}
}
