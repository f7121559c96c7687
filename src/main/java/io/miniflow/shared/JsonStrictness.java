package io.miniflow.shared;

import java.io.IOException;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * JSON bodies are taken as typed: {@code 123} is no string, {@code 1} no boolean, {@code 2.5} no count and
 * {@code "2"} no number. Jackson converts all of these by default, which let wrong input through as something else
 * (docs/api.md, "Types"). The scalar coercions Spring Boot's properties reach are set in application.yml
 * (spring.jackson); the ones below have no property.
 */
@Configuration(proxyBeanMethods = false)
class JsonStrictness {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer noScalarCoercion() {
        return builder -> builder.postConfigurer(mapper -> {
            mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            mapper.addHandler(new RefuseUnknownFields());
        });
    }

    /** Unknown fields of {@link StrictJson} bodies fail as they would with FAIL_ON_UNKNOWN_PROPERTIES. */
    static final class RefuseUnknownFields extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                                             JsonDeserializer<?> deserializer, Object beanOrClass,
                                             String propertyName) throws IOException {
            // Records are built through their constructor: the bean does not exist yet, its class is passed.
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (type.isAnnotationPresent(StrictJson.class)) {
                throw UnrecognizedPropertyException.from(p, beanOrClass, propertyName,
                    deserializer.getKnownPropertyNames());
            }
            return false;
        }
    }
}
