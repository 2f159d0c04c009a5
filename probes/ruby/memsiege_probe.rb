# frozen_string_literal: true

# memsiege's Ruby probe for an app you cannot change: loaded before the app by
#
#   MEMSIEGE_PROBE_PORT=9464 RUBYOPT="-r/abs/path/memsiege_probe.rb" puma config.ru
#
# it answers GET http://127.0.0.1:PORT/__memsiege/gc from a thread of its own, on a plain
# TCPServer (no Rack, no change to the middleware stack): the Rack probe's figures
# (memsiege_gc.rb: pid, RSS, GC.stat, GC.stat_heap on 3.2+, latest_gc, ObjectSpace.count_objects
# with ?objects=1), the process's thread count (`threads`) and `worker`: 0 for the process
# that loaded it, N for its Nth forked child.
#
# Forks (puma's and unicorn's cluster modes, Ruby 3.1+ through Process._fork): the parent binds
# the Nth child's socket just before the fork, on PORT + N or, when something else holds that
# port, on one the system picks, so that it always knows where each child listens; the child
# serves that socket and closes the parent's. The parent, on PORT, forwards a request to its
# lowest-numbered live child (`?worker=N` picks one, `?worker=0` asks the parent itself), so
# that what memsiege samples is a process that serves the app.
#
# Loopback only; with MEMSIEGE_PROBE_TOKEN set, a request must carry it (X-Memsiege-Token or
# Authorization: Bearer), compared in constant time. One line on stderr says where it listens
# or why it cannot, and the app goes on either way. Nothing runs per request of the app.
require 'socket'
require_relative 'memsiege_gc'

module MemsiegeProbe
  HOST = '127.0.0.1'
  READ_TIMEOUT = 2
  MAX_HEAD = 8192
  # A worker's ?source=sites runs full GCs and walks its heap: seconds, not milliseconds.
  SOURCE_TIMEOUT = 120

  @base = nil
  @index = 0
  @forks = 0
  @children = {}

  class << self
    def start
      raw = ENV['MEMSIEGE_PROBE_PORT'].to_s
      unless raw.match?(/\A\d+\z/) && (1..65_535).cover?(raw.to_i)
        say("MEMSIEGE_PROBE_PORT is #{raw.empty? ? 'not set' : "not a port: #{raw.inspect}"}; not started")
        return
      end
      @base = raw.to_i
      @token = ENV['MEMSIEGE_PROBE_TOKEN'].to_s
      listen
    end

    def started?
      !@base.nil?
    end

    # In the parent, before a fork: the child's number and its socket (or why there is none).
    # A port taken by anything else on the machine must not leave a worker without a probe.
    def before_fork
      @forks += 1
      port = @base + @forks
      socket = begin
        TCPServer.new(HOST, port)
      rescue Errno::EADDRINUSE
        TCPServer.new(HOST, 0)
      end
      [@forks, socket]
    rescue SystemCallError => e
      [@forks, "cannot listen on #{HOST}:#{port} (#{e.message})"]
    end

    # In the parent, after the fork (pid nil when it failed): the child's socket is the child's.
    def forked(index, socket, pid)
      return unless socket.is_a?(TCPServer)

      @children[index] = { pid: pid, port: socket.addr[1] } if pid
      socket.close
    end

    # In the child: the parent's thread is gone and its socket is the parent's business.
    def in_child(index, socket)
      begin
        @server&.close
      rescue IOError
        nil
      end
      @server = nil
      @children = {}
      @forks = 0
      @index = index
      return say("#{socket}; #{who} goes on without the probe") unless socket.is_a?(TCPServer)

      serve_on(socket)
    end

    private

    def listen
      serve_on(TCPServer.new(HOST, @base))
    rescue SystemCallError => e
      say("cannot listen on #{HOST}:#{@base} (#{e.message}); #{who} goes on without the probe")
    end

    def serve_on(server)
      @server = server
      thread = Thread.new { serve(server) }
      thread.name = 'memsiege-probe' if thread.respond_to?(:name=)
      thread.report_on_exception = false
      say("listening on http://#{HOST}:#{server.addr[1]}#{MemsiegeGC::PATH} (#{who})")
    end

    def who
      @index.zero? ? "pid #{Process.pid}" : "worker #{@index}, pid #{Process.pid}"
    end

    def serve(server)
      loop do
        client = server.accept
        begin
          answer(client)
        rescue StandardError
          nil # a bad request never stops the probe
        ensure
          client.close unless client.closed?
        end
      end
    rescue IOError, SystemCallError
      nil # the socket was closed (a forked child closing its parent's copy)
    end

    def answer(client)
      head = read_head(client)
      return if head.nil?

      lines = head.split("\r\n")
      method, target = lines.first.to_s.split(' ', 3)
      path, query = target.to_s.split('?', 2)
      headers = lines.drop(1).map { |l| l.split(':', 2).map(&:strip) }.to_h { |k, v| [k.downcase, v.to_s] }
      return respond(client, 404, 'text/plain', "not found\n") unless %w[GET HEAD].include?(method) && path == MemsiegeGC::PATH

      given = MemsiegeGC.presented_token(headers['x-memsiege-token'], headers['authorization'])
      return respond(client, 403, 'text/plain', "forbidden\n") unless @token.empty? || MemsiegeGC.token_matches?(given, @token)

      child = child_to_ask(query)
      return forward(client, head, child, MemsiegeGC.source_action(query) ? SOURCE_TIMEOUT : READ_TIMEOUT) if child

      require 'json'
      status, answer = MemsiegeGC.source_answer(query)
      return respond(client, status, 'application/json', JSON.generate(answer)) if answer

      stats = MemsiegeGC.stats(objects: MemsiegeGC.objects_asked?(query)).merge(threads: Thread.list.size, worker: @index)
      respond(client, 200, 'application/json', method == 'HEAD' ? '' : JSON.generate(stats))
    end

    def read_head(client)
      head = +''
      until head.include?("\r\n\r\n")
        return nil if head.bytesize > MAX_HEAD || IO.select([client], nil, nil, READ_TIMEOUT).nil?

        head << client.readpartial(4096)
      end
      head.split("\r\n\r\n", 2).first
    rescue EOFError, SystemCallError
      nil
    end

    def child_to_ask(query)
      wanted = query.to_s[/(?:\A|&)worker=(\d+)/, 1]
      return nil if wanted == '0'

      live = @children.select { |_, child| alive?(child[:pid]) }.keys.sort
      wanted ? live.find { |i| i == wanted.to_i } : live.first
    end

    def alive?(pid)
      Process.kill(0, pid)
      !File.read("/proc/#{pid}/stat").split(') ', 2).last.to_s.start_with?('Z')
    rescue SystemCallError
      false
    end

    def forward(client, head, index, timeout)
      upstream = Socket.tcp(HOST, @children[index][:port], connect_timeout: READ_TIMEOUT)
      upstream.write(head.sub(/\r\n.*/m, '') + "\r\n" + head.lines.drop(1).grep(/\A(x-memsiege-token|authorization):/i).join.chomp + "\r\nconnection: close\r\n\r\n")
      while IO.select([upstream], nil, nil, timeout)
        chunk = upstream.readpartial(65_536)
        client.write(chunk)
      end
    rescue EOFError
      nil
    rescue SystemCallError => e
      respond(client, 502, 'text/plain', "memsiege probe: worker #{index}: #{e.message}\n")
    ensure
      upstream&.close
    end

    def respond(client, status, type, body)
      reason = { 200 => 'OK', 403 => 'Forbidden', 404 => 'Not Found', 502 => 'Bad Gateway' }[status]
      client.write("HTTP/1.1 #{status} #{reason}\r\ncontent-type: #{type}\r\ncache-control: no-store\r\n" \
                   "content-length: #{body.bytesize}\r\nconnection: close\r\n\r\n#{body}")
    end

    def say(text)
      $stderr.write("memsiege probe: #{text}\n")
    end
  end

  # Process._fork (Ruby 3.1+) is what fork, Kernel#fork and Process.fork all go through.
  module Fork
    def _fork
      return super unless MemsiegeProbe.started?

      index, socket = MemsiegeProbe.before_fork
      begin
        pid = super
      rescue StandardError
        MemsiegeProbe.forked(index, socket, nil)
        raise
      end
      pid.zero? ? MemsiegeProbe.in_child(index, socket) : MemsiegeProbe.forked(index, socket, pid)
      pid
    end
  end
end

MemsiegeProbe.start
Process.singleton_class.prepend(MemsiegeProbe::Fork) if Process.respond_to?(:_fork)
