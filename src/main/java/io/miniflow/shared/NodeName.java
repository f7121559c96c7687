package io.miniflow.shared;

import java.net.InetAddress;
import java.util.UUID;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Gives this node a name people can read where the engine records who did what: the job log's host
 * ({@code ACT_HI_JOB_LOG.HOSTNAME_}, shown in Cockpit) and the owner of the jobs it holds
 * ({@code ACT_RU_JOB.LOCK_OWNER_}, "name/8 random characters", unique per start). The engine's defaults (the host's
 * address; a random UUID) make two nodes on one host look alike, and say nothing about who holds a job after a node
 * died. {@code miniflow.node-name}, default the host name.
 */
@Component
class NodeName extends AbstractProcessEnginePlugin {

    private final String name;

    NodeName(@Value("${miniflow.node-name:}") String configured) {
        this.name = configured == null || configured.isBlank() ? hostName() : configured.strip();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "miniflow";
        }
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setHostname(name);
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getJobExecutor() != null) {
            configuration.getJobExecutor().setLockOwner(name + "/" + UUID.randomUUID().toString().substring(0, 8));
        }
    }
}
