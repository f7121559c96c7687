package io.miniflow.app;

import java.util.List;

/**
 * A registered package of components that apps reference, read from its repository; each component carries what the
 * designer shows of it (title, icon, description, group).
 */
public record ComponentPackage(long id, String workspace, String name, String version, String description,
                               String repositoryUrl, List<Component> components) {

    public record Component(long id, String name, String title, String icon, String description, String group) {
    }
}
