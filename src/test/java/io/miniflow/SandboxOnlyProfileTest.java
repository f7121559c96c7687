package io.miniflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import io.miniflow.sandbox.SandboxApplication;

/** The sandbox-only profile runs the emulators alone: no engine, no console, health still answers. */
@SpringBootTest(classes = SandboxApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles({"sandbox-only", "test"})
class SandboxOnlyProfileTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    MockMvc mvc;

    @Test
    void startsWithoutTheEngineOrTheConsole() throws Exception {
        assertThat(context.getBeanNamesForType(ProcessEngine.class)).isEmpty();
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/")).andExpect(status().isForbidden());
        mvc.perform(get("/api/workspaces")).andExpect(status().isForbidden());
    }
}
