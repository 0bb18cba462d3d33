package dev.mandate.kernel.approvals.internal;

import java.util.function.Supplier;

import org.osgi.service.component.ComponentServiceObjects;

/**
 * A service referenced by this component but fetched only when first used, and released when the
 * component goes. The approval queue needs the decision point only when an approval is given, and
 * the decision point refers back to the queue: fetching it at activation made Felix SCR report a
 * circular reference (and bind late) every time the kernel started.
 */
final class FetchedAtFirstUse<T> implements Supplier<T> {

    private final ComponentServiceObjects<T> objects;
    private T service;

    FetchedAtFirstUse(ComponentServiceObjects<T> objects) {
        this.objects = objects;
    }

    @Override
    public synchronized T get() {
        if (service == null) {
            service = objects.getService();
            if (service == null) {
                throw new IllegalStateException("the decision point is not available");
            }
        }
        return service;
    }

    synchronized void release() {
        if (service != null) {
            objects.ungetService(service);
            service = null;
        }
    }
}
