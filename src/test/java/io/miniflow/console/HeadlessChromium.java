package io.miniflow.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's browser tests' Chromium: headless, through chromedriver, found where Debian installs them (or at
 * {@code -Dwebdriver.chrome.driver} and {@code -Dminiflow.test.chrome}). A test without them is skipped with the
 * reason; CI installs both (.ci/run).
 */
public final class HeadlessChromium {

    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver",
        "/usr/local/bin/chromedriver");
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome");

    private final String driverPath;
    private final String chromiumPath;

    private HeadlessChromium(String driverPath, String chromiumPath) {
        this.driverPath = driverPath;
        this.chromiumPath = chromiumPath;
    }

    /** Chromium and its driver, or the calling test skipped (an assumption) when either is missing. */
    public static HeadlessChromium requireInstalled(String what) {
        Optional<String> driver = firstExecutable(System.getProperty("webdriver.chrome.driver"), DRIVERS);
        Assumptions.assumeTrue(driver.isPresent(), "chromedriver is not installed (apt-get install chromium "
            + "chromium-driver, as .ci/run does): " + what + " is skipped");
        Optional<String> chromium = firstExecutable(System.getProperty("miniflow.test.chrome"), BROWSERS);
        Assumptions.assumeTrue(chromium.isPresent(), "Chromium is not installed: " + what + " is skipped");
        return new HeadlessChromium(driver.get(), chromium.get());
    }

    /** A fresh browser whose reader prefers {@code language} (e.g. en-US, zh-CN). */
    public WebDriver open(String language) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromiumPath);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--window-size=1400,1000",
            "--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driverPath)).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }

    /** Logs a demo user (password = name) in to the console at {@code base}, e.g. http://localhost:8080. */
    public static void logIn(WebDriver browser, String base, String user, Duration wait) {
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.id("password")).submit();
        new WebDriverWait(browser, wait).until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
    }

    /** Saves what the browser shows as {@code dir/name.png}. */
    public static void screenshot(WebDriver browser, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<String> firstExecutable(String configured, List<String> candidates) {
        return Stream.concat(Stream.ofNullable(configured), candidates.stream())
            .filter(path -> new File(path).canExecute()).findFirst();
    }
}
