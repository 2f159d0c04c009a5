# frozen_string_literal: true

# memsiege's --find-source in a Ruby target, behind the probe's ?source= query (memsiege_probe.rb
# and the Rack middleware, memsiege_gc.rb): `start` (sent at the end of the warm-up) turns on
# ObjectSpace's allocation tracing; `sites` runs full GCs and counts the live objects allocated
# since, by class and allocation file:line, with ObjectSpace.memsize_of. memsiege diffs two such
# answers. Objects allocated by the probe's own files are never a site.
module MemsiegeSource
  OWN = [__FILE__, File.expand_path('memsiege_gc.rb', __dir__), File.expand_path('memsiege_probe.rb', __dir__)].freeze
  # A gem from its gems/<name>-<version>/ folder, as a Node dependency from node_modules/.
  GEM = %r{/gems/(?=[^/]+-\d[^/]*/)}.freeze

  @recording = false

  class << self
    def answer(action)
      case action
      when 'start'
        start
        { pid: Process.pid, recording: true }
      when 'sites'
        raise 'not recording: ask ?source=start first' unless @recording

        { pid: Process.pid, runtime: 'ruby', sites: live_sites }
      else
        raise "unknown source action #{action.inspect}: start or sites"
      end
    end

    private

    # Idempotent: a second start keeps what the first recorded.
    def start
      return if @recording

      require 'objspace'
      ObjectSpace.trace_object_allocations_start
      @recording = true
    end

    def live_sites
      # Twice: finalizers and weak references free more on the second pass.
      2.times { GC.start(full_mark: true, immediate_sweep: true) }
      sites = Hash.new { |h, k| h[k] = [0, 0] }
      ObjectSpace.each_object do |object|
        file = ObjectSpace.allocation_sourcefile(object)
        next if file.nil? || OWN.include?(file)

        site = sites["#{class_of(object)} #{shown(file)}:#{ObjectSpace.allocation_sourceline(object)}"]
        site[0] += 1
        site[1] += ObjectSpace.memsize_of(object)
      end
      sites.map { |name, (count, bytes)| { stack: [name], bytes: bytes, count: count } }
    end

    def class_of(object)
      Kernel.instance_method(:class).bind_call(object).name || '(anonymous class)'
    rescue StandardError
      'BasicObject'
    end

    def shown(file)
      gem = GEM.match(file)
      return "gems/#{gem.post_match}" if gem

      file.start_with?("#{Dir.pwd}/") ? file[(Dir.pwd.size + 1)..] : file
    end
  end
end
