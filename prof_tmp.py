import cProfile, os, sys, time
sys.argv = ["x", repr(time.time()), '["mülle", "schmidt", "gmail.com", "acme gm"]']
import bench.desk_probe as d
prof = cProfile.Profile()
def out(code):
    prof.disable(); prof.dump_stats("/tmp/probe.prof"); sys.stdout.flush(); os.kill(os.getpid(), 9)
d.os._exit = out
if os.environ.get("PROF"): prof.enable()
d.main()
