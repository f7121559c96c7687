package io.miniflow.app;

import java.util.List;

/** A registered package of components that apps reference. */
public record ComponentPackage(long id, String workspace, String name, String version, String description,
                               List<Component> components) {

    public record Component(String name, String detail) {
    }
}
