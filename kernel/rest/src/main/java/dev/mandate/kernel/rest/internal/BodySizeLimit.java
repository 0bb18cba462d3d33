package dev.mandate.kernel.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Refuses request bodies larger than the configured limit with 413, for declared lengths at once
 * and for chunked bodies as soon as the limit is passed while reading.
 */
@Component(service = ContainerRequestFilter.class, configurationPid = "dev.mandate.kernel.rest")
@Designate(ocd = BodySizeLimit.Config.class)
@JaxrsExtension
@PreMatching
public class BodySizeLimit implements ContainerRequestFilter {

    @ObjectClassDefinition(name = "Mandate REST API")
    @interface Config {
        @AttributeDefinition(description = "Largest request body accepted, in bytes")
        long maxBodyBytes() default 4L * 1024 * 1024;
    }

    private volatile long limit;

    @Activate
    public BodySizeLimit(Config config) {
        this.limit = config.maxBodyBytes();
    }

    @Modified
    void modified(Config config) {
        this.limit = config.maxBodyBytes();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        long max = limit;
        if (request.getLength() > max) {
            throw tooLarge(max);
        }
        request.setEntityStream(new LimitedStream(request.getEntityStream(), max, BodySizeLimit::tooLarge));
    }

    static WebApplicationException tooLarge(long max) {
        return new WebApplicationException(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                "the request body is larger than " + max + " bytes").toResponse());
    }

    /** Counts what is read and fails with {@code tooLarge} once more than the limit has been read. */
    static final class LimitedStream extends FilterInputStream {
        private final long max;
        private final LongFunction<? extends RuntimeException> tooLarge;
        private long read;

        LimitedStream(InputStream in, long max) {
            this(in, max, BodySizeLimit::tooLarge);
        }

        LimitedStream(InputStream in, long max, LongFunction<? extends RuntimeException> tooLarge) {
            super(in);
            this.max = max;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw tooLarge.apply(max);
            }
        }
    }
}
