package dev.keyward.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/1.1 front of the local KMS, on Netty: what happens to bytes before a complete request reaches the
 * KMS protocol, and to the answer after.
 *
 * <p>Guarantees, per connection:
 * <ul>
 *   <li>No thread waits for a client. Bytes are read by the event loops as they come; a request reaches a
 *       request thread only once complete, so a slow or silent client costs a few kilobytes, never a thread.
 *   <li>A request must arrive whole within {@link Limits#requestTimeout()} of its first byte (408 and closed
 *       after); an idle keep-alive connection is closed after {@link Limits#idleTimeout()}.
 *   <li>Request line, header block, header count and body are bounded; beyond a bound the answer is a KMS-shaped
 *       error and the connection is closed (its framing can no longer be trusted).
 *   <li>Pipelined requests are answered one at a time, in order; the connection is not read while its request
 *       is being answered, so a client cannot queue work without bound.
 *   <li>At most {@link Limits#maxConnections()} connections are open; one more is answered 503 and closed.
 *   <li>A TLS client hello (or SSLv2 hello) on a plain port is closed at once, without an answer it could not
 *       read anyway.
 * </ul>
 */
final class HttpFront {

  private HttpFront() {}

  /** An answer to write: status, KMS JSON body (may be empty), request id, whether to close after it. */
  record Answer(int status, byte[] body, String requestId, boolean close) {}

  /** Answers one complete request; called on a request thread. */
  interface Answerer {
    Answer answer(WireRequest request);

    /** The answer to a request that cannot be parsed or exceeds a limit: a KMS-shaped error. */
    Answer refuse(int status, String type, String message);
  }

  /** The limits of the front; see {@link KmsServer.Config}. */
  record Limits(int maxConnections, int maxRequestLineBytes, int maxHeaderBytes, int maxHeaders, int maxBodyBytes,
      long requestTimeoutMillis, long idleTimeoutMillis) {

    long requestTimeout() {
      return requestTimeoutMillis;
    }

    long idleTimeout() {
      return idleTimeoutMillis;
    }
  }

  /** What every connection shares: limits, the request threads, the open channels, the answerer. */
  static final class Shared {
    final Limits limits;
    final Executor requests;
    final ChannelGroup channels;
    final Answerer answerer;
    final SslContext tls;
    final java.util.function.Predicate<WireRequest> inline;
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param inline which complete requests are answered on the event loop itself (short, CPU-bound ones, saving
     *     two thread hand-offs); the others go to {@code requests}
     */
    Shared(Limits limits, Executor requests, ChannelGroup channels, Answerer answerer, SslContext tls,
        java.util.function.Predicate<WireRequest> inline) {
      this.limits = limits;
      this.requests = requests;
      this.channels = channels;
      this.answerer = answerer;
      this.tls = tls;
      this.inline = inline;
    }
  }

  /** Sets up the handlers of a new connection. */
  static void initialize(Channel ch, Shared s) {
    ChannelPipeline p = ch.pipeline();
    Guard guard = new Guard(s);
    p.addLast("guard", guard);
    if (s.tls != null) {
      p.addLast("tls", s.tls.newHandler(ch.alloc()));
    } else {
      p.addLast("sniff", new PlainSniffer());
    }
    p.addLast("idle", new IdleStateHandler(0, 0, s.limits.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
    p.addLast("decoder", new StrictRequestDecoder(new HttpDecoderConfig()
        .setMaxInitialLineLength(s.limits.maxRequestLineBytes())
        .setMaxHeaderSize(s.limits.maxHeaderBytes())
        .setMaxChunkSize(64 * 1024)
        .setAllowDuplicateContentLengths(false)
        .setStrictLineParsing(true)));
    p.addLast("encoder", new HttpResponseEncoder());
    p.addLast("aggregator", new BoundedAggregator(s));
    p.addLast("kms", new RequestHandler(s, guard));
  }

  // ---------------------------------------------------------------------------------------------------
  // Building answers on the wire

  static FullHttpResponse response(Answer a) {
    ByteBuf body = a.body().length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.body());
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()),
        body);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, KmsServer.JSON_TYPE);
    r.headers().set("x-amzn-RequestId", a.requestId());
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
    if (a.close()) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /** How long a refused connection is drained before it is closed. */
  static final long LINGER_MILLIS = 1000;

  /**
   * Writes a refusal and closes the connection after it. Closing a socket with unread bytes makes the kernel send
   * a reset, which can destroy the answer before the client reads it; so the rest of the request is read and
   * dropped, the sending side is shut after the answer, and the connection closes when the client closes it or
   * after {@link #LINGER_MILLIS} (a lingering close).
   */
  static void refuseAndClose(ChannelHandlerContext ctx, Shared s, int status, String type, String message) {
    Answer a = s.answerer.refuse(status, type, message);
    Channel ch = ctx.channel();
    if (!ch.isActive()) {
      return;
    }
    ChannelPipeline p = ch.pipeline();
    if (p.get("discard") != null) {
      return; // NOTE: already refused once; one answer per connection
    }
    p.addAfter("idle", "discard", new Discard());
    ch.config().setAutoRead(true);
    ch.writeAndFlush(response(new Answer(a.status(), a.body(), a.requestId(), true))).addListener(f -> {
      if (f.isSuccess() && s.tls == null && ch instanceof SocketChannel) {
        ((SocketChannel) ch).shutdownOutput();
        ch.eventLoop().schedule(() -> {
          ch.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
      } else {
        ch.close();
      }
    });
  }

  /** Drops whatever a refused connection still sends. */
  static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---------------------------------------------------------------------------------------------------

  /**
   * First in every pipeline: counts connections (refusing those over the limit), keeps the per-request deadline
   * armed from the first byte of a request until the request is complete, and closes idle connections.
   */
  static final class Guard extends ChannelInboundHandlerAdapter {
    private final Shared s;
    private ScheduledFuture<?> deadline;
    private boolean counted;
    /** A request of this connection is being answered (touched on the event loop only). */
    boolean busy;

    Guard(Shared s) {
      this.s = s;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      s.channels.add(ctx.channel());
      counted = true;
      if (s.open.incrementAndGet() > s.limits.maxConnections()) {
        refuseAndClose(ctx, s, 503, "ServiceUnavailableException", "the server has " + s.limits.maxConnections()
            + " connections open, its limit; retry later");
        return;
      }
      super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      disarm();
      if (counted) {
        counted = false;
        s.open.decrementAndGet();
      }
      super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (deadline == null) {
        deadline = ctx.executor().schedule(() -> expired(ctx), s.limits.requestTimeoutMillis(),
            TimeUnit.MILLISECONDS);
      }
      super.channelRead(ctx, msg);
    }

    /** Called when a whole request has arrived: the deadline stops until the next byte. */
    void requestComplete() {
      disarm();
    }

    private void disarm() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    private void expired(ChannelHandlerContext ctx) {
      deadline = null;
      if (busy) {
        return; // NOTE: the bytes that armed it belong to a pipelined request, read once this one is answered
      }
      refuseAndClose(ctx, s, 408, "RequestTimeoutException", "the request did not arrive within "
          + s.limits.requestTimeoutMillis() + " ms of its first byte");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent && ((IdleStateEvent) evt).state() == IdleState.ALL_IDLE && !busy) {
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // NOTE: a reset, a TLS failure or a broken pipe: nothing to answer; the connection goes, nothing else
      ctx.close();
    }
  }

  /** On a plain port: a TLS or SSLv2 hello is closed at once; anything else is left to the HTTP decoder. */
  static final class PlainSniffer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
        ByteBuf b = (ByteBuf) msg;
        int first = b.getUnsignedByte(b.readerIndex());
        if (first == 0x16 || first == 0x80) {
          b.release();
          ctx.close();
          return;
        }
        ctx.pipeline().remove(this);
      }
      super.channelRead(ctx, msg);
    }
  }

  /**
   * Netty's request decoder, refusing a request that has both Content-Length and chunked Transfer-Encoding
   * (RFC 9112 section 6.3 allows a server to reject it, and a front end that guesses is how requests get
   * smuggled) instead of dropping its Content-Length.
   */
  static final class StrictRequestDecoder extends HttpRequestDecoder {
    StrictRequestDecoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      throw new IllegalArgumentException("a request may not have both Content-Length and Transfer-Encoding:"
          + " chunked");
    }
  }

  /** Netty's aggregator, refusing an oversized body with a KMS-shaped 413 (and closing) before reading it. */
  static final class BoundedAggregator extends HttpObjectAggregator {
    private final Shared s;

    BoundedAggregator(Shared s) {
      super(s.limits.maxBodyBytes(), true);
      this.s = s;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
      if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
        Answer a = s.answerer.refuse(413, "RequestEntityTooLargeException", tooLarge(maxContentLength));
        return response(new Answer(a.status(), a.body(), a.requestId(), true));
      }
      return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      refuseAndClose(ctx, s, 413, "RequestEntityTooLargeException", tooLarge(s.limits.maxBodyBytes()));
    }
  }

  static String tooLarge(int max) {
    return "the request body is larger than " + max + " bytes";
  }

  /**
   * The last handler: turns a complete request into a {@link WireRequest}, answers it on a request thread and
   * writes the answer; requests pipelined behind it wait in order, unread.
   */
  static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Shared s;
    private final Guard guard;
    private final ArrayDeque<WireRequest> waiting = new ArrayDeque<>();

    RequestHandler(Shared s, Guard guard) {
      super(true);
      this.s = s;
      this.guard = guard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      guard.requestComplete();
      if (!req.decoderResult().isSuccess()) {
        Throwable why = req.decoderResult().cause();
        ctx.channel().config().setAutoRead(false);
        refuseAndClose(ctx, s, 400, "BadRequestException", malformed(why));
        return;
      }
      if (req.headers().size() > s.limits.maxHeaders()) {
        ctx.channel().config().setAutoRead(false);
        refuseAndClose(ctx, s, 400, "BadRequestException", "the request has " + req.headers().size()
            + " headers; at most " + s.limits.maxHeaders() + " are accepted");
        return;
      }
      waiting.add(copy(ctx, req));
      if (!guard.busy) {
        next(ctx);
      } else {
        // NOTE: a pipelined request: stop reading until the ones before it are answered (bounded memory)
        ctx.channel().config().setAutoRead(false);
      }
    }

    private WireRequest copy(ChannelHandlerContext ctx, FullHttpRequest req) {
      Map<String, List<String>> headers = new HashMap<>();
      for (Map.Entry<String, String> e : req.headers()) {
        headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(e.getValue());
      }
      if (!HttpUtil.isKeepAlive(req)) {
        headers.put(":close", List.of("true"));
      }
      String uri = req.uri();
      int q = uri.indexOf('?');
      SocketAddress remote = ctx.channel().remoteAddress();
      String from = remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress().getHostAddress()
          : String.valueOf(remote);
      return new WireRequest(req.method().name(), q < 0 ? uri : uri.substring(0, q), q < 0 ? null
          : uri.substring(q + 1), headers, ByteBufUtil.getBytes(req.content()), from);
    }

    private void next(ChannelHandlerContext ctx) {
      WireRequest r = waiting.poll();
      if (r == null) {
        guard.busy = false;
        if (!ctx.channel().config().isAutoRead()) {
          ctx.channel().config().setAutoRead(true);
        }
        return;
      }
      guard.busy = true;
      s.inFlight.incrementAndGet();
      Runnable work = () -> {
        Answer a;
        try {
          a = s.answerer.answer(r);
        } finally {
          s.inFlight.decrementAndGet();
        }
        boolean close = a.close() || r.headers().containsKey(":close");
        Answer sent = close == a.close() ? a : new Answer(a.status(), a.body(), a.requestId(), true);
        ctx.writeAndFlush(response(sent)).addListener(f -> {
          if (!f.isSuccess() || close) {
            ctx.close();
          } else {
            next(ctx);
          }
        });
      };
      if (s.inline.test(r)) {
        work.run();
        return;
      }
      try {
        s.requests.execute(work);
      } catch (RejectedExecutionException e) {
        s.inFlight.decrementAndGet();
        waiting.clear();
        refuseAndClose(ctx, s, 400, "ThrottlingException", "Rate exceeded: the server's request queue is full");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static String malformed(Throwable why) {
    if (why instanceof TooLongHttpLineException) {
      return "the request line is longer than the server accepts";
    }
    if (why instanceof TooLongHttpHeaderException) {
      return "the request headers are larger than the server accepts";
    }
    if (why instanceof TooLongFrameException) {
      return "a part of the request is larger than the server accepts";
    }
    String m = why == null ? null : why.getMessage();
    if (m == null || m.isBlank()) {
      return "the request is not valid HTTP/1.1";
    }
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    if (m.length() > 200) {
      m = m.substring(0, 200) + "...";
    }
    return "the request is not valid HTTP/1.1: " + m;
  }
}
