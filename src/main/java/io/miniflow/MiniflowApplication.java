package io.miniflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

import io.miniflow.sandbox.SandboxApplication;

/**
 * Starts Miniflow: the console, the embedded Camunda engine and its features. The emulators are an application of
 * their own ({@code io.miniflow.sandbox}), never scanned here: the {@code sandbox} profile switches them on beside
 * Miniflow, and the documented command for the emulators alone starts {@link SandboxApplication} instead.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(excludeFilters = {
    @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
    @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
    @ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.miniflow\\.sandbox\\..*")})
@ConfigurationPropertiesScan
public class MiniflowApplication {

    public static void main(String[] args) {
        if (SandboxApplication.isRequested(args)) {
            SandboxApplication.main(args);
            return;
        }
        SpringApplication.run(MiniflowApplication.class, args);
    }
}
