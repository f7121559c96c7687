package io.miniflow.shared;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.spring.SpringExpressionManager;
import org.camunda.bpm.impl.juel.jakarta.el.CompositeELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ELContext;
import org.camunda.bpm.impl.juel.jakarta.el.ELResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Resolves the names of Miniflow's own beans in process expressions ({@code ${commitCode}},
 * {@code ${releaseProgress}}) before process variables. Camunda's Spring expression manager asks the variables first:
 * each delegate expression then costs one database query per scope on the way up to the process instance, only to
 * find no variable of that name, and a variable that happened to carry a delegate's name would replace the delegate.
 * Names that are not Miniflow beans (variables such as {@code ${workspace}}, Spring's own beans) resolve as before.
 */
@Component
class MiniflowBeansFirst extends AbstractProcessEnginePlugin {

    private static final String OWN_PACKAGE = "io.miniflow.";

    private final ApplicationContext applicationContext;

    MiniflowBeansFirst(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setExpressionManager(new SpringExpressionManager(applicationContext) {
            @Override
            protected ELResolver createElResolver() {
                CompositeELResolver resolver = new CompositeELResolver();
                resolver.add(new OwnBeans(applicationContext));
                resolver.add(super.createElResolver());
                return resolver;
            }
        });
    }

    /** Top-level identifiers naming a bean whose class is in Miniflow's packages. */
    static final class OwnBeans extends ELResolver {

        private final ApplicationContext applicationContext;
        private volatile Set<String> names;

        OwnBeans(ApplicationContext applicationContext) {
            this.applicationContext = applicationContext;
        }

        @Override
        public Object getValue(ELContext context, Object base, Object property) {
            if (base == null && property instanceof String name && ownBeanNames().contains(name)) {
                context.setPropertyResolved(true);
                return applicationContext.getBean(name);
            }
            return null;
        }

        /** Read once, when the first expression runs: by then every bean is defined. */
        private Set<String> ownBeanNames() {
            Set<String> known = names;
            if (known == null) {
                known = Stream.of(applicationContext.getBeanDefinitionNames())
                    .filter(name -> {
                        Class<?> type = applicationContext.getType(name, false);
                        return type != null && type.getName().startsWith(OWN_PACKAGE);
                    })
                    .collect(Collectors.toUnmodifiableSet());
                names = known;
            }
            return known;
        }

        @Override
        public boolean isReadOnly(ELContext context, Object base, Object property) {
            if (base == null && property instanceof String name && ownBeanNames().contains(name)) {
                context.setPropertyResolved(true);
                return true;
            }
            return false;
        }

        @Override
        public void setValue(ELContext context, Object base, Object property, Object value) {
            // Beans are read-only here; anything else is left to the resolvers after this one.
        }

        @Override
        public Class<?> getType(ELContext context, Object base, Object property) {
            return null;
        }

        @Override
        public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
            return null;
        }

        @Override
        public Class<?> getCommonPropertyType(ELContext context, Object base) {
            return base == null ? Object.class : null;
        }
    }
}
