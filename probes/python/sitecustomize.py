"""memsiege's Python probe for an app you cannot change.

    MEMSIEGE_PROBE_PORT=9464 PYTHONPATH=/abs/path/probes/python gunicorn app:app

Python imports `sitecustomize` at startup from the path, so this starts, in a daemon thread, a
small HTTP server at 127.0.0.1:PORT answering GET /__memsiege/gc with this process's figures as
JSON: pid, rss_bytes (Linux), allocated_blocks (sys.getallocatedblocks(): the objects and buffers
alive in Python's allocator, its live heap), gc_count (gc.get_count(), per generation), gc_stats
(gc.get_stats(): collections, collected, uncollectable per generation), threads, worker, and
with ?objects=1 `objects`: live objects by type (the 50 most numerous; walking the heap costs).
?source=start and ?source=sites serve memsiege's --find-source (tracemalloc, see _source_answer).

Forks (gunicorn's workers, os.fork): the parent binds the Nth child's socket just before the
fork, on PORT + N or, when something else holds that port, on one the system picks, so that it
always knows where each child listens; the child serves it. The parent forwards a request to its lowest-numbered live child (`?worker=N`
picks one, `?worker=0` asks the parent itself). Loopback only; with MEMSIEGE_PROBE_TOKEN set a
request must carry it (X-Memsiege-Token or Authorization: Bearer), compared in constant time.
One line on stderr says where it listens or why it cannot; the app goes on either way.

A sitecustomize this one hides (Debian ships one) is run after it.
"""
import errno
import gc
import hashlib
import hmac
import http.client
import http.server
import json
import os
import sys
import threading

_HOST = '127.0.0.1'
_PATH = '/__memsiege/gc'
# --find-source: frames kept per traceback, the largest tracebacks answered, and how long a
# parent waits for a child's answer (a full collection and a snapshot take seconds).
_SOURCE_FRAMES = 8
_SOURCE_SITES = 2000
_SOURCE_TIMEOUT = 120
# ports: where each forked child listens, by its number; pending: the next child's number and its
# server (or why it has none), from just before the fork until just after.
_state = {'base': None, 'index': 0, 'forks': 0, 'pending': None, 'server': None, 'ports': {}}


def _say(text):
    sys.stderr.write('memsiege probe: %s\n' % text)
    sys.stderr.flush()


def _who():
    pid = os.getpid()
    return 'pid %d' % pid if _state['index'] == 0 else 'worker %d, pid %d' % (_state['index'], pid)


def _rss():
    out = {}
    try:
        with open('/proc/self/status') as f:
            for line in f:
                key, _, value = line.partition(':')
                name = {'VmRSS': 'rss_bytes', 'RssAnon': 'rss_anon_bytes', 'VmHWM': 'hwm_bytes'}.get(key)
                if name:
                    out[name] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def _stats(objects):
    out = {'pid': os.getpid(), 'python_version': sys.version.split()[0], 'worker': _state['index']}
    out.update(_rss())
    out['allocated_blocks'] = sys.getallocatedblocks()
    out['gc_count'] = list(gc.get_count())
    out['gc_stats'] = gc.get_stats()
    out['threads'] = threading.active_count()
    if objects:
        counts = {}
        for o in gc.get_objects():
            name = type(o).__name__
            counts[name] = counts.get(name, 0) + 1
        out['objects'] = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:50])
        out['objects_total'] = sum(counts.values())
    return out


def _source_answer(action):
    """memsiege's --find-source: `start` (sent at the end of the warm-up) starts tracemalloc;
    `sites` collects garbage and answers the live memory traced since, by traceback (allocating
    frame first). memsiege diffs two such answers. The probe's own allocations are left out."""
    import tracemalloc
    if action == 'start':
        if not tracemalloc.is_tracing():
            tracemalloc.start(_SOURCE_FRAMES)
        return {'pid': os.getpid(), 'recording': True}
    if action != 'sites':
        raise ValueError('unknown source action %r: start or sites' % action)
    if not tracemalloc.is_tracing():
        raise ValueError('not recording: ask ?source=start first')
    gc.collect()
    own = [tracemalloc.Filter(False, f, all_frames=True) for f in (__file__, tracemalloc.__file__)]
    stats = tracemalloc.take_snapshot().filter_traces(own).statistics('traceback')
    sites = [{'stack': ['%s:%d' % (_shown(f.filename), f.lineno) for f in reversed(s.traceback)], 'bytes': s.size, 'count': s.count} for s in stats[:_SOURCE_SITES]]
    return {'pid': os.getpid(), 'runtime': 'python', 'sites': sites}


def _shown(filename):
    """A package from its site-packages/ folder, the app's own files from its folder."""
    for marker in ('/site-packages/', '/dist-packages/'):
        if marker in filename:
            return filename[filename.rindex(marker) + 1:]
    here = os.getcwd() + os.sep
    return filename[len(here):] if filename.startswith(here) else filename


def _token_ok(headers):
    token = os.environ.get('MEMSIEGE_PROBE_TOKEN', '')
    if not token:
        return True
    given = headers.get('X-Memsiege-Token')
    if given is None:
        auth = headers.get('Authorization', '').strip()
        given = auth[7:].strip() if auth[:7].lower() == 'bearer ' else None
    if given is None:
        return False
    digest = lambda s: hashlib.sha256(s.encode('utf-8', 'surrogateescape')).digest()  # noqa: E731
    return hmac.compare_digest(digest(given), digest(token))


class _Handler(http.server.BaseHTTPRequestHandler):
    timeout = 2

    def do_GET(self):
        path, _, query = self.path.partition('?')
        params = dict(p.partition('=')[::2] for p in query.split('&') if p)
        if path != _PATH:
            return self._send(404, 'text/plain', b'not found\n')
        if not _token_ok(self.headers):
            return self._send(403, 'text/plain', b'forbidden\n')
        children = self._children(params.get('worker'))
        if children:
            return self._forward(children, _SOURCE_TIMEOUT if 'source' in params else 2)
        if 'source' in params:
            try:
                return self._send(200, 'application/json', json.dumps(_source_answer(params['source'])).encode())
            except ValueError as e:
                return self._send(409, 'application/json', json.dumps({'error': str(e)}).encode())
        body = json.dumps(_stats(params.get('objects') in ('1', 'true'))).encode()
        self._send(200, 'application/json', body)

    do_HEAD = do_GET

    def _children(self, wanted):
        """The forked children to ask, in order: a fork's hooks don't give the parent the child's
        pid, so a child that has exited is known by its port refusing the connection."""
        if wanted == '0':
            return []
        forked = sorted(_state['ports'])
        if wanted is not None:
            return [int(wanted)] if wanted.isdigit() and int(wanted) in forked else []
        return forked

    def _forward(self, indexes, timeout):
        headers = {k: v for k, v in self.headers.items() if k.lower() in ('x-memsiege-token', 'authorization')}
        error = None
        for index in indexes:
            try:
                conn = http.client.HTTPConnection(_HOST, _state['ports'][index], timeout=timeout)
                conn.request(self.command, self.path, headers=headers)
                answer = conn.getresponse()
                body = answer.read()
                conn.close()
                return self._send(answer.status, answer.getheader('content-type', 'application/json'), body)
            except OSError as e:
                error = 'worker %d: %s' % (index, e)
        self._send(502, 'text/plain', ('memsiege probe: %s\n' % error).encode())

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header('content-type', content_type)
        self.send_header('cache-control', 'no-store')
        self.send_header('content-length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def _listen():
    try:
        server = http.server.ThreadingHTTPServer((_HOST, _state['base']), _Handler)
    except OSError as e:
        _say('cannot listen on %s:%d (%s); %s goes on without the probe' % (_HOST, _state['base'], e.strerror or e, _who()))
        return
    _serve(server)


def _serve(server):
    server.daemon_threads = True
    _state['server'] = server
    threading.Thread(target=server.serve_forever, name='memsiege-probe', daemon=True).start()
    _say('listening on http://%s:%d%s (%s)' % (_HOST, server.server_address[1], _PATH, _who()))


def _before_fork():
    # A port taken by anything else on the machine must not leave a worker without a probe.
    _state['forks'] += 1
    port = _state['base'] + _state['forks']
    try:
        try:
            server = http.server.ThreadingHTTPServer((_HOST, port), _Handler)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
            server = http.server.ThreadingHTTPServer((_HOST, 0), _Handler)
    except OSError as e:
        server = 'cannot listen on %s:%d (%s)' % (_HOST, port, e.strerror or e)
    _state['pending'] = (_state['forks'], server)


def _after_fork_in_parent():
    # Also after a fork that failed: a child that never was is known, as one that has exited, by
    # its port refusing the connection.
    index, server = _state['pending']
    _state['pending'] = None
    if not isinstance(server, str):
        _state['ports'][index] = server.server_address[1]
        server.server_close()


def _after_fork_in_child():
    # The parent's serving thread did not survive the fork; its socket is the parent's.
    parent = _state['server']
    if parent is not None:
        parent.socket.close()
    index, server = _state['pending']
    _state.update(index=index, forks=0, pending=None, server=None, ports={})
    if isinstance(server, str):
        _say('%s; %s goes on without the probe' % (server, _who()))
    else:
        _serve(server)


def _start():
    raw = os.environ.get('MEMSIEGE_PROBE_PORT', '')
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        _say('MEMSIEGE_PROBE_PORT is %s; not started' % ('not set' if raw == '' else 'not a port: %r' % raw))
        return
    _state['base'] = int(raw)
    _listen()
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)


def _run_hidden_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if os.path.abspath(entry or '.') == here:
            continue
        candidate = os.path.join(entry or '.', 'sitecustomize.py')
        if os.path.isfile(candidate):
            with open(candidate) as f:
                code = compile(f.read(), candidate, 'exec')
            exec(code, {'__name__': 'sitecustomize', '__file__': candidate})
            return


_start()
_run_hidden_sitecustomize()
