package io.miniflow.cloudapp.pkg;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The package store: the local folder unless another {@link PackageStore} bean (an object store) is defined. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PackageSettings.class)
class PackageConfig {

    @Bean
    @ConditionalOnMissingBean(PackageStore.class)
    PackageStore localFolderPackageStore(PackageSettings settings) {
        return new LocalFolderPackageStore(settings.getRoot());
    }
}
