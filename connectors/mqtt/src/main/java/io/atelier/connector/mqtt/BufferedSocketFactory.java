package io.atelier.connector.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets ({@code tcp://}) whose input is read ahead in large chunks.
 *
 * <p>Paho 1.2.5 reads each packet's fixed header from the socket's stream one byte at a time
 * ({@code DataInputStream.readByte}) and asks {@code available()} before every packet; on the JDK's
 * unbuffered socket stream each of these is a system call, i.e. about four per message. With a
 * read-ahead buffer one {@code read} returns many small PUBLISH packets at once and the per-byte
 * calls become array reads. Paho sets a 1 s socket timeout and treats {@code
 * SocketTimeoutException} as "no data yet"; {@link ReadAheadInputStream} only ever blocks in one
 * socket read at a time and consumes nothing when that read times out, so those semantics hold.
 */
final class BufferedSocketFactory extends SocketFactory {

  /** Large enough for hundreds of small messages per read; one per connection. */
  static final int BUFFER_BYTES = 64 * 1024;

  private final int bufferBytes;

  BufferedSocketFactory() {
    this(BUFFER_BYTES);
  }

  BufferedSocketFactory(int bufferBytes) {
    this.bufferBytes = bufferBytes;
  }

  @Override
  public Socket createSocket() {
    return new ReadAheadSocket(bufferBytes);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  /** A socket whose {@link #getInputStream()} reads ahead; everything else is the JDK's. */
  static final class ReadAheadSocket extends Socket {
    private final int bufferBytes;
    private InputStream in;

    ReadAheadSocket(int bufferBytes) {
      this.bufferBytes = bufferBytes;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      // One wrapper per socket: a second wrapper would lose what the first has read ahead.
      if (in == null) {
        in = new ReadAheadInputStream(super.getInputStream(), bufferBytes);
      }
      return in;
    }
  }
}
