package com.acme.mandate.plugin;

import java.util.List;

import dev.mandate.api.intent.ConstraintFunction;
import dev.mandate.api.intent.ValueType;

import org.osgi.service.component.annotations.Component;

/** {@code acmeTier(hostname)}: the vendor's service tier of a server, from its naming rule. */
@Component
public class AcmeTierFunction implements ConstraintFunction {

    @Override
    public String name() {
        return "acmeTier";
    }

    @Override
    public List<ValueType> parameters() {
        return List.of(ValueType.STRING);
    }

    @Override
    public ValueType result() {
        return ValueType.STRING;
    }

    @Override
    public Object apply(List<Object> arguments) {
        String hostname = String.valueOf(arguments.get(0));
        return hostname.startsWith("srv-0") ? "gold" : "silver";
    }
}
