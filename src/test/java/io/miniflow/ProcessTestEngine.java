package io.miniflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.MockExpressionManager;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;

/**
 * An in-memory engine for one process test: the job executor off (the test runs the jobs), the beans the models'
 * expressions name registered with {@link Mocks}, camunda-bpm-assert bound to it. Closing it forgets the beans,
 * the assertions' engine and a fixed clock.
 */
public final class ProcessTestEngine implements AutoCloseable {

    private final ProcessEngine engine;

    private ProcessTestEngine(ProcessEngine engine) {
        this.engine = engine;
    }

    /** Builds an engine and deploys these classpath resources (e.g. {@code bpmn/app-publish.bpmn}). */
    public static ProcessTestEngine deploying(String... resources) {
        String name = "process-test-" + System.nanoTime();
        ProcessEngineConfigurationImpl config = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
            .createStandaloneInMemProcessEngineConfiguration()
            .setJdbcUrl("jdbc:h2:mem:" + name)
            .setProcessEngineName(name)
            .setJobExecutorActivate(false)
            .setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        config.setExpressionManager(new MockExpressionManager());
        ProcessEngine engine = config.buildProcessEngine();
        var deployment = engine.getRepositoryService().createDeployment();
        for (String resource : resources) {
            deployment.addClasspathResource(resource);
        }
        deployment.deploy();
        BpmnAwareTests.init(engine);
        return new ProcessTestEngine(engine);
    }

    public ProcessEngine engine() {
        return engine;
    }

    /** Registers a bean under the name the models' expressions use ({@code ${name}}). */
    public ProcessTestEngine bean(String name, Object bean) {
        Mocks.register(name, bean);
        return this;
    }

    /**
     * Deploys a stand-in for a called process: start, one step running {@code body}, end. The caller's call activity
     * then finds a process with this key, and the test sees what it was given and decides what it hands back.
     */
    public void deployStub(String processKey, JavaDelegate body) {
        String beanName = "stub" + processKey.replaceAll("[^A-Za-z0-9]", "");
        bean(beanName, body);
        deploy(processKey, Bpmn.createExecutableProcess(processKey).camundaHistoryTimeToLive(1).startEvent()
            .serviceTask("Task_Stub").camundaDelegateExpression("${" + beanName + "}").endEvent().done());
    }

    /** Deploys a stand-in for a called process that waits at the user task {@code Task_Stub} until the test acts. */
    public void deployWaitingStub(String processKey) {
        deploy(processKey, Bpmn.createExecutableProcess(processKey).camundaHistoryTimeToLive(1).startEvent()
            .userTask("Task_Stub").endEvent().done());
    }

    private void deploy(String processKey, BpmnModelInstance model) {
        engine.getRepositoryService().createDeployment().addModelInstance(processKey + ".bpmn", model).deploy();
    }

    /** Runs the asynchronous continuations that are due (not timers), as the job executor would, until none is left. */
    public void runDueJobs() {
        for (int round = 0; round < 50; round++) {
            List<Job> due = engine.getManagementService().createJobQuery().executable().messages().list();
            if (due.isEmpty()) {
                return;
            }
            due.forEach(job -> engine.getManagementService().executeJob(job.getId()));
        }
        throw new AssertionError("asynchronous steps did not settle");
    }

    /** The timer waiting at this activity of the instance; fails when there is none. */
    public Job timer(ProcessInstance instance, String activityId) {
        Job timer = engine.getManagementService().createJobQuery().processInstanceId(instance.getId()).timers()
            .activityId(activityId).singleResult();
        assertThat(timer).as("timer at %s", activityId).isNotNull();
        return timer;
    }

    /** Fires the timer at this activity now, whatever its due date. */
    public void fireTimer(ProcessInstance instance, String activityId) {
        engine.getManagementService().executeJob(timer(instance, activityId).getId());
    }

    /** The asynchronous continuation (not a timer) at this activity of the instance; fails when there is none. */
    public Job step(ProcessInstance instance, String activityId) {
        Job job = engine.getManagementService().createJobQuery().processInstanceId(instance.getId()).messages()
            .activityId(activityId).singleResult();
        assertThat(job).as("asynchronous step at %s", activityId).isNotNull();
        return job;
    }

    /**
     * Runs the step at this activity once, now, and expects it to fail as the job executor would see it: the engine
     * records the failure and counts the retries down (the retry cycle's wait is not waited for).
     */
    public void failOnce(ProcessInstance instance, String activityId) {
        Job job = step(instance, activityId);
        try {
            engine.getManagementService().executeJob(job.getId());
        } catch (RuntimeException expected) {
            return;
        }
        throw new AssertionError("the step at " + activityId + " was expected to fail");
    }

    /** What an operator does in Cockpit after an incident: gives the step at this activity one more retry, run now. */
    public void retryNow(ProcessInstance instance, String activityId) {
        String jobId = step(instance, activityId).getId();
        engine.getManagementService().setJobRetries(jobId, 1);
        engine.getManagementService().executeJob(jobId);
    }

    /**
     * After the step at this activity failed once on an R3 retry cycle: it is retried when the cycle says (the first
     * retry due at {@code firstRetryDue}), without an incident while retries remain, and the third failure leaves an
     * incident at the step instead of ending the instance.
     */
    public void failsUntilIncident(ProcessInstance instance, String activityId, java.util.Date firstRetryDue) {
        Job first = step(instance, activityId);
        assertThat(first.getRetries()).as("retries left after the first failure").isEqualTo(2);
        assertThat(first.getDuedate()).as("when the first retry runs").isEqualTo(firstRetryDue);
        failOnce(instance, activityId);
        assertThat(step(instance, activityId).getRetries()).isEqualTo(1);
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance.getId()).count())
            .as("incidents while retries remain").isZero();
        failOnce(instance, activityId);
        assertThat(step(instance, activityId).getRetries()).isZero();
        assertThat(incident(instance).getActivityId()).isEqualTo(activityId);
    }

    /** The one open incident of the instance; fails when there is none or more than one. */
    public Incident incident(ProcessInstance instance) {
        Incident incident = engine.getRuntimeService().createIncidentQuery().processInstanceId(instance.getId())
            .singleResult();
        assertThat(incident).as("incident of %s", instance.getId()).isNotNull();
        return incident;
    }

    @Override
    public void close() {
        Mocks.reset();
        BpmnAwareTests.reset();
        ClockUtil.reset();
        engine.close();
    }
}
