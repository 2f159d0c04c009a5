# frozen_string_literal: true

# memsiege's probe for Ruby apps: a Rack middleware answering GET /__memsiege/gc with this
# process's GC figures as JSON, for memsiege's `sample.gc: { url: /__memsiege/gc }`.
#
#   # config.ru
#   require_relative 'memsiege_gc'
#   use MemsiegeGC                          # loopback clients only
#   use MemsiegeGC, allow: ['10.0.0.5']     # ... and these addresses ('*': anyone)
#
# The answer: pid, rss_bytes / rss_anon_bytes / hwm_bytes (Linux), stat (GC.stat), stat_heap
# (GC.stat_heap, Ruby 3.2+), latest_gc (GC.latest_gc_info), and objects
# (ObjectSpace.count_objects) only with ?objects=1, because counting walks the whole heap.
# ?source=start and ?source=sites serve memsiege's --find-source (memsiege_source.rb).
#
# Every other request, and this path from a client not allowed, goes to the app untouched.
# The client is REMOTE_ADDR, never X-Forwarded-For, which any client can forge.
#
# Behind a reverse proxy on the same host (nginx -> puma) every client is 127.0.0.1: set
# MEMSIEGE_PROBE_TOKEN in the app's environment (or `use MemsiegeGC, token: '...'`) and in
# memsiege's; a request for the path without `X-Memsiege-Token: <token>` (or
# `Authorization: Bearer <token>`) then gets 403. Compared in constant time.
#
# Under puma's cluster mode the worker that accepted the connection answers: read `pid`.
# No dependencies besides the json and digest standard libraries; Ruby 2.4 or later, Rack 2 or 3.
# They are required when first used, not when this file is loaded: memsiege_probe.rb loads it
# before Bundler has chosen the app's versions of them.

class MemsiegeGC
  PATH = '/__memsiege/gc'

  def initialize(app, allow: [], path: PATH, token: ENV['MEMSIEGE_PROBE_TOKEN'])
    @app = app
    @path = path
    @allow = allow.map { |a| normalize(a.to_s) }
    @token = token.to_s
  end

  def call(env)
    return @app.call(env) unless probe?(env)
    return [403, { 'content-type' => 'text/plain', 'cache-control' => 'no-store' }, ["forbidden\n"]] unless token_ok?(env)

    require 'json'
    status, answer = self.class.source_answer(env['QUERY_STRING'])
    body = JSON.generate(answer || self.class.stats(objects: self.class.objects_asked?(env['QUERY_STRING'])))
    headers = {
      'content-type' => 'application/json',
      'cache-control' => 'no-store',
      'content-length' => body.bytesize.to_s
    }
    [status || 200, headers, env['REQUEST_METHOD'] == 'HEAD' ? [] : [body]]
  end

  def self.source_action(query)
    query.to_s[/(?:\A|&)source=(\w+)/, 1]
  end

  # memsiege's --find-source (memsiege_source.rb): [status, answer], or [nil, nil] when not asked.
  def self.source_answer(query)
    action = source_action(query)
    return [nil, nil] unless action

    require_relative 'memsiege_source'
    [200, MemsiegeSource.answer(action)]
  rescue StandardError => e
    [409, { error: e.message }]
  end

  def self.stats(objects: false)
    out = { pid: Process.pid, ruby_version: RUBY_VERSION }
    out.merge!(proc_status)
    out[:stat] = GC.stat
    out[:stat_heap] = GC.stat_heap if GC.respond_to?(:stat_heap)
    out[:latest_gc] = GC.latest_gc_info
    out[:objects] = ObjectSpace.count_objects if objects
    out
  end

  def self.objects_asked?(query)
    /(?:\A|&)objects=(?:1|true)(?:&|\z)/.match?(query.to_s)
  end

  # Compares digests of equal length, so that neither the content nor the length of the token
  # leaks through timing; the byte loop never stops early.
  def self.token_matches?(given, token)
    return false if given.nil?

    require 'digest'
    a = Digest::SHA256.digest(given).bytes
    b = Digest::SHA256.digest(token).bytes
    a.zip(b).reduce(0) { |acc, (x, y)| acc | (x ^ y) }.zero?
  end

  STATUS_FIELDS = { 'VmRSS' => :rss_bytes, 'RssAnon' => :rss_anon_bytes, 'VmHWM' => :hwm_bytes }.freeze

  # Sizes from /proc/self/status in bytes; {} where there is no /proc.
  def self.proc_status
    out = {}
    File.foreach('/proc/self/status') do |line|
      key, value = line.split(':', 2)
      name = STATUS_FIELDS[key]
      out[name] = value.to_i * 1024 if name
    end
    out
  rescue SystemCallError
    {}
  end

  def self.presented_token(x_memsiege_token, authorization)
    x_memsiege_token || authorization.to_s[/\ABearer\s+(\S+)\s*\z/i, 1]
  end

  private

  def probe?(env)
    method = env['REQUEST_METHOD']
    return false unless method == 'GET' || method == 'HEAD'
    return false unless "#{env['SCRIPT_NAME']}#{env['PATH_INFO']}" == @path || env['PATH_INFO'] == @path

    allowed?(env['REMOTE_ADDR'].to_s)
  end

  def token_ok?(env)
    return true if @token.empty?

    self.class.token_matches?(self.class.presented_token(env['HTTP_X_MEMSIEGE_TOKEN'], env['HTTP_AUTHORIZATION']), @token)
  end

  def allowed?(address)
    a = normalize(address)
    a.start_with?('127.') || a == '::1' || @allow.include?(a) || @allow.include?('*')
  end

  def normalize(address)
    address.start_with?('::ffff:') ? address[7..-1] : address
  end
end
