package io.miniflow.shared;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Lets the job executor find due jobs through an index instead of reading past the timers that are not due yet.
 * Every mini program waiting for WeChat's audit holds a poll timer; with thousands waiting, the engine's acquisition
 * query (due date null or past, not locked, LIMIT n, no index on the due date) read every one of those timers each
 * time it looked for work. With {@code ensureJobDueDateNotNull} every job has a due date (its creation time for
 * asynchronous steps), acquisition asks for {@code DUEDATE_ <= now} in due-date order, and the index
 * {@value #INDEX} on {@code ACT_RU_JOB (DUEDATE_)} answers that. The engine creates and upgrades its own tables; the
 * index is added here once they exist, and an index that another node added first is left alone.
 */
@Component
class JobAcquisitionByDueDate extends AbstractProcessEnginePlugin {

    static final String INDEX = "MF_IDX_JOB_DUEDATE";

    private static final Logger log = LoggerFactory.getLogger(JobAcquisitionByDueDate.class);

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setEnsureJobDueDateNotNull(true);
        configuration.setJobExecutorAcquireByDueDate(true);
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        DataSource dataSource =
            ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDataSource();
        try (Connection connection = dataSource.getConnection()) {
            if (!hasIndex(connection.getMetaData())) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE INDEX " + INDEX + " ON ACT_RU_JOB (DUEDATE_)");
                }
                log.info("Created index {} on ACT_RU_JOB (DUEDATE_) for job acquisition by due date", INDEX);
            }
        } catch (SQLException e) {
            // Another node may have created it between the check and the statement; acquisition works without it.
            log.warn("Index {} on ACT_RU_JOB not created: {}", INDEX, e.getMessage());
        }
    }

    private static boolean hasIndex(DatabaseMetaData meta) throws SQLException {
        for (String table : new String[] {"ACT_RU_JOB", "act_ru_job"}) {
            try (ResultSet indexes = meta.getIndexInfo(null, null, table, false, false)) {
                while (indexes.next()) {
                    if (INDEX.equalsIgnoreCase(indexes.getString("INDEX_NAME"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
