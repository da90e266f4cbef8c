package io.parley.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium and chromedriver, with paths set explicitly so Selenium Manager never
 * downloads a browser or a driver. Fails clearly when they are not installed.
 */
final class Chromium {

    static final Path BROWSER = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("parley.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    static ChromeDriver start() throws IOException {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver ("
                    + BROWSER + ", " + DRIVER + "): apt-get install chromium chromium-driver");
        }
        Path profile = Files.createTempDirectory("parley-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=900,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
