package io.miniflow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts Miniflow: the console, the embedded Camunda engine and, in the sandbox profile, the platform emulators. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MiniflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(MiniflowApplication.class, args);
    }
}
