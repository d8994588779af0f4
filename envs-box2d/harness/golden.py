"""Golden-case input for walker.cpp, and the comparison of its output with the golden file (README.md)."""
import json
import sys


def load(golden, env, index):
    return json.load(open(f'{golden}/box2d/{env}.json'))['cases'][index]


def write_input(golden, env, index, path):
    c = load(golden, env, index)
    t = c['terrain']
    out = [' '.join(repr(x) for x in t['terrain_x']), ' '.join(repr(x) for x in t['terrain_y'])]
    obstacles = t['obstacle_polygons_box2d']
    out.append(str(len(obstacles)))
    for p in obstacles:
        flat = [v for pt in p for v in pt]
        out.append(str(len(flat)) + ' ' + ' '.join(repr(v) for v in flat))
    out.append(repr(c['reset_draws'][-1][3]))  # the initial force, the last draw of reset
    out.append('1' if c['action_dtype'] == 'float64' else '0')
    out.append(str(len(c['steps'])))
    for s in c['steps']:
        out.append(' '.join(repr(float(v)) for v in s['action']))
    open(path, 'w').write('\n'.join(out) + '\n')


def matched(golden, env, index, path):
    """Leading steps whose observation and reward are within 1e-4*max(1,|x|) and whose flag is identical."""
    c = load(golden, env, index)
    rows = {l.split()[0]: l.split() for l in open(path) if l.startswith('o')}

    def bad(tag, obs, reward=None, terminated=None):
        r = rows[tag]
        got = [float(x) for x in r[3:]]
        err = [0 if g == e else abs(g - e) / max(1, abs(e)) for g, e in zip(got, obs)]
        if reward is not None:
            err.append(abs(float(r[2]) - reward) / max(1, abs(reward)))
        return max(err) > 1e-4 or (terminated is not None and bool(int(r[1])) != terminated)

    if bad('oreset', c['reset_obs']):
        return 'reset differs'
    for k, s in enumerate(c['steps']):
        if bad(f'ostep{k + 1}', s['obs'], s['reward'], s['terminated']):
            return f"{k} of {c['stable_steps']} stable ({c['num_steps']} steps)"
    return f"all {c['num_steps']} ({c['stable_steps']} stable)"


if __name__ == '__main__':
    cmd, golden, env, index = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if cmd == 'input':
        write_input(golden, env, index, sys.argv[5])
    else:
        print(matched(golden, env, index, sys.argv[5]))
