package io.miniflow.shared;

import javax.xml.datatype.DatatypeFactory;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Names the JDK's own {@link DatatypeFactory} once, so the engine's {@code DatatypeFactory.newInstance()} stops
 * searching the class path for another. The engine parses a job's retry cycle (R5/PT1M) each time it creates a job,
 * and each parse asked the JDK for a datatype factory: without the property that is a service-loader scan of every
 * jar, which profiles of a template release showed at every asynchronous step (docs/benchmarks.md, "Issue #17"). A
 * factory chosen by whoever runs Miniflow ({@code -Djavax.xml.datatype.DatatypeFactory=...}) is kept.
 */
@Component
class DefaultDatatypeFactory extends AbstractProcessEnginePlugin {

    static final String PROPERTY = DatatypeFactory.DATATYPEFACTORY_PROPERTY;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, DatatypeFactory.DATATYPEFACTORY_IMPLEMENTATION_CLASS);
        }
    }
}
